"""The home page's top tasks per language, from top_tasks.yaml (what each language's readers need)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge import yamlio
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..knowledge_access import knowledge_base

CONFIG = Path(__file__).resolve().parent / "top_tasks.yaml"
ALWAYS_LINKED = ("book", "manage", "status")        # on every home page: as a card or in the list below

# the site's own tasks: endpoint, title, description (translated when shown)
PAGES = {
    "book": ("appointments.book", _l("Book an appointment"),
             _l("Choose a time at your provincial directorate of migration management.")),
    "manage": ("appointments.manage", _l("Check or cancel an appointment"),
               _l("With your booking reference and access code.")),
    "status": ("cases.check", _l("Check the status of your application"), _l("With your case number and access code.")),
    "call157": ("core.contact", _l("Call YİMER 157"), _l("Free advice in several languages on every migration question.")),
    "offices": ("core.offices", _l("Find your provincial directorate"),
                _l("The 81 provincial directorates of migration management and their hours.")),
}


@dataclass(frozen=True)
class Task:
    url: str
    title: str            # plain text, or content text with [[term]] markup for a guide
    description: str = ""
    is_guide: bool = False


@lru_cache(maxsize=1)
def top_task_config() -> dict:
    """{lang: {"reason": str, "tasks": [{"service": slug} | {"page": key}]}}."""
    return yamlio.safe_load(CONFIG.read_text(encoding="utf-8"))["languages"]


def top_tasks(lang: str) -> list[Task]:
    """The top tasks for readers of `lang`, in order; a guide not yet in `lang` is left out."""
    kb = knowledge_base()
    out = []
    for entry in top_task_config().get(lang, {}).get("tasks", []):
        if "page" in entry:
            endpoint, title, description = PAGES[entry["page"]]
            out.append(Task(url_for(endpoint, lang=lang), str(title), str(description)))
            continue
        svc = kb.service(entry["service"])
        text = svc.text(lang) if svc else None
        if text is not None:
            out.append(Task(url_for("guides.guide", lang=lang, slug=svc.slug), text.title, is_guide=True))
    return out


def other_tasks(lang: str) -> list[Task]:
    """The appointment and application pages that are not among the top tasks of `lang`."""
    chosen = {entry.get("page") for entry in top_task_config().get(lang, {}).get("tasks", [])}
    return [Task(url_for(PAGES[key][0], lang=lang), str(PAGES[key][1])) for key in ALWAYS_LINKED if key not in chosen]
