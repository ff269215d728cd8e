"""Office work for agents: appointment day lists and attendance, cases."""
