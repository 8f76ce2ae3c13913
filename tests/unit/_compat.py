# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the unit tests need from ansible-core that older releases of the supported range lack."""

from __future__ import annotations

import contextlib
import json

from unittest import mock

from ansible.module_utils import basic

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


__all__ = ["patch_module_args"]
