from datetime import datetime

import pytest

from portal.chat import hours


def test_inside_and_outside_working_hours():
    spec = "mon-fri 09:00-18:00"
    # 2026-11-23 is a Monday; Istanbul is UTC+3
    assert hours.is_open(spec, datetime(2026, 11, 23, 7, 0))       # 10:00 local
    assert not hours.is_open(spec, datetime(2026, 11, 23, 5, 0))   # 08:00 local
    assert not hours.is_open(spec, datetime(2026, 11, 23, 15, 0))  # 18:00 local
    assert not hours.is_open(spec, datetime(2026, 11, 22, 9, 0))   # Sunday


def test_several_windows_and_wrapping_days():
    spec = "sat 10:00-14:00; fri-mon 20:00-22:00"
    assert hours.is_open(spec, datetime(2026, 11, 28, 8, 0))   # Saturday 11:00
    assert hours.is_open(spec, datetime(2026, 11, 23, 17, 30))  # Monday 20:30


def test_malformed_hours_raise():
    with pytest.raises(ValueError):
        hours.parse("weekdays 9-5")
