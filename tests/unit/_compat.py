# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the unit tests need from ansible-core that older releases of the supported range lack."""

from __future__ import annotations

import contextlib
import json

from unittest import mock

from ansible.module_utils import basic
from ansible.module_utils.ansible_release import __version__ as ansible_version

try:
    # ansible-core 2.19 and later
    from ansible.module_utils.testing import patch_module_args
except ImportError:
    # ansible-core 2.16 to 2.18: AnsibleModule reads its arguments from basic._ANSIBLE_ARGS when it is set
    @contextlib.contextmanager
    def patch_module_args(args=None):
        """Expose ``args`` to the ``AnsibleModule`` instances made in this context, and restore what was there."""
        if not isinstance(args, (dict, type(None))):
            raise TypeError("The `args` arg must be a dict or None.")
        buffer = json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}).encode("utf-8")
        with mock.patch.object(basic, "_ANSIBLE_ARGS", buffer):
            yield


# The module arguments that make a module add its ``invocation`` to what it prints, as the controller asks at
# -vvvv: ansible-core 2.21 adds it only when ``_ansible_inject_invocation`` is set (older releases always add it,
# and 2.16 refuses that argument as unsupported).
ANSIBLE_CORE = tuple(int(part) for part in ansible_version.split(".")[:2])
INVOCATION_ARGS = {"_ansible_inject_invocation": True} if ANSIBLE_CORE >= (2, 21) else {}


__all__ = ["ANSIBLE_CORE", "INVOCATION_ARGS", "patch_module_args"]
