# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._redact import redact_text


def redact(text, secrets=None):
    """Free text with every destination URL's secrets masked (the modules' redactor), and each of ``secrets``
    masked in every form (as written, escaped, URL-encoded)."""
    if text is None:
        return text
    if isinstance(secrets, str):
        secrets = [secrets]
    return redact_text(str(text), [s for s in (secrets or []) if isinstance(s, str)])


class FilterModule(object):

    def filters(self):
        return {"redact": redact}
