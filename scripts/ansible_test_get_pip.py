"""Stand-in for ansible-test's pip bootstrap script (get-pip.py), for machines that reach PyPI
but not ci-files.testing.ansible.com.

ansible-test runs ``python get_pip_<version>.py <pip install options and packages>`` inside a
fresh virtual environment, with a trimmed environment. We do the same with the standard
library's ensurepip, then let that pip install what was asked for (e.g. ``pip==24.2``). The
bundled pip ignores a CA bundle set only in pip.conf, so the system bundle is passed explicitly.

    <venv>/bin/python scripts/ansible_test_get_pip.py --install

puts this file in ansible-test's cache under the name of each pip version that venv's ansible-test
bootstraps (asked from ansible-test itself, for every Python it supports), so that a release that
moves to another pip finds its script there. It fails loudly when ansible-test no longer says which
versions it wants: then this stand-in must be checked against the new ansible-test.
"""
import ensurepip
import os
import shutil
import subprocess
import sys


def pip_versions():
    """The pip versions the installed ansible-test bootstraps, one per supported Python."""
    try:
        from ansible_test._internal.python_requirements import get_venv_packages
        from ansible_test._util.target.common.constants import CONTROLLER_PYTHON_VERSIONS, REMOTE_ONLY_PYTHON_VERSIONS
    except ImportError as exc:
        sys.exit("ansible_test_get_pip.py: ansible-test no longer has get_venv_packages or its Python versions (%s): "
                 "check how this release bootstraps pip before using this stand-in." % exc)

    class Python(object):  # what get_venv_packages reads of a PythonConfig
        def __init__(self, version):
            self.version = version

    versions = set()
    for python in CONTROLLER_PYTHON_VERSIONS + REMOTE_ONLY_PYTHON_VERSIONS:
        packages = get_venv_packages(Python(python))
        if "pip" not in packages:
            sys.exit("ansible_test_get_pip.py: ansible-test bootstraps no pip for Python %s (%s): check how this "
                     "release installs its virtual environments before using this stand-in." % (python, packages))
        versions.add(packages["pip"])
    return sorted(versions)


def install():
    cache = os.path.expanduser("~/.ansible/test/cache")
    os.makedirs(cache, exist_ok=True)
    for version in pip_versions():
        target = os.path.join(cache, "get_pip_%s.py" % version.replace(".", "_"))
        shutil.copyfile(os.path.abspath(__file__), target)
        print(target)


def bootstrap():
    ensurepip.bootstrap(upgrade=True)
    args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
    for candidate in (os.environ.get("PIP_CERT"), os.environ.get("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt"):
        if candidate and os.path.isfile(candidate):
            args = ["--cert", candidate] + args
            break
    sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args))


if __name__ == "__main__":
    if sys.argv[1:] == ["--install"]:
        install()
    else:
        bootstrap()
