"""Every action headquarters writes to its audit trail is one the administrator can pick
(wire.AUDIT_ACTIONS, the desktop app's list and the filter's check): a new audit() call with
an action missing from the list fails here, not as a filter refused in front of the user."""

from __future__ import annotations

import re
from pathlib import Path

import inspector_app.hq as hq_package
from inspector_app.wire import AUDIT_ACTIONS

# audit(session, actor, "action", ...) and audit_row(actor, "action", ...), over lines.
CALL = re.compile(r'\baudit\(\s*\w+,\s*[^,]+,\s*f?"([^"]+)"|\baudit_row\(\s*[^,]+,\s*"([^"]+)"')


def test_every_written_action_is_listed() -> None:
    written: set[str] = set()
    for path in Path(hq_package.__file__).parent.glob("*.py"):
        for found in CALL.finditer(path.read_text(encoding="utf-8")):
            action = found.group(1) or found.group(2)
            if "{" in action:  # handover_signatures: f"handover.{'sign' or 'countersign'}"
                written |= {"handover.sign", "handover.countersign"}
            else:
                written.add(action)
    assert len(written) >= 20  # the pattern still finds the calls
    assert written <= set(AUDIT_ACTIONS), written - set(AUDIT_ACTIONS)
