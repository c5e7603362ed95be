"""Grey out what the signed-in user's role may not do, and say why; the services check it again."""

from __future__ import annotations

from app.domain.roles import ROLE_LABELS, Action, allowed, roles_for

# Menu and toolbar actions (keys of SessionActions.all and AccountActions.all) and the right they need.
NEEDS: dict[str, Action] = {
    "accord_selected": Action.ACCORD,
    "accord_all": Action.ACCORD,
    "objection": Action.OBJECTION,
    "correct": Action.CORRECTION,
    "remove": Action.REMOVE,
    "close_out": Action.MANAGE_SESSION,
    "share_session": Action.MANAGE_SESSION,
    "restore": Action.REMOVE,  # putting back an objection also needs OBJECTION: the service says so
    "import_lots": Action.IMPORT_LOTS,
    "users": Action.USERS,
    "settings": Action.SETTINGS,
}


def apply_roles(actions: dict, roles) -> None:
    """Disable each action the roles do not allow; its tooltip names who may (None: all allowed)."""
    for key, needed in NEEDS.items():
        action = actions.get(key)
        if action is None:
            continue
        if not allowed(roles, needed):
            action.setEnabled(False)
            who = " of ".join(ROLE_LABELS[role] for role in roles_for(needed))
            why = f"{action.text().replace('&', '').rstrip('…')}: alleen voor {who}"
            action.setToolTip(why)
            action.setStatusTip(why)  # menus show it in the status bar while the item is highlighted
