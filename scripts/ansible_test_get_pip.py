"""Stand-in for ansible-test's pip bootstrap script (get-pip.py), for machines that reach PyPI
but not ci-files.testing.ansible.com.

ansible-test runs ``python get_pip_<version>.py <pip install options and packages>`` inside a
fresh virtual environment, with a trimmed environment. We do the same with the standard
library's ensurepip, then let that pip install what was asked for (e.g. ``pip==24.2``). The
bundled pip ignores a CA bundle set only in pip.conf, so the system bundle is passed explicitly.
"""
import ensurepip
import os
import subprocess
import sys

ensurepip.bootstrap(upgrade=True)
args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
for candidate in (os.environ.get("PIP_CERT"), os.environ.get("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt"):
    if candidate and os.path.isfile(candidate):
        args = ["--cert", candidate] + args
        break
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args))
