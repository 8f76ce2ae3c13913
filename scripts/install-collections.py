"""Install the collections that the role and the demo use (amazon.aws) next to ours.

They come out of the pinned, hash-checked 'ansible' wheel from PyPI (requirements/collections.txt),
since Galaxy may not be reachable; only the collections named here are extracted.
    .venv/bin/python scripts/install-collections.py .build
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

COLLECTIONS = ("amazon/aws",)
root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build")
here = os.path.dirname(os.path.abspath(__file__))
marker = os.path.join(root, "ansible_collections", ".installed-from")
requirement = open(os.path.join(here, "..", "requirements", "collections.txt")).read()
if os.path.exists(marker) and open(marker).read() == requirement:
    sys.exit(0)
with tempfile.TemporaryDirectory() as download:
    subprocess.check_call([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes",
                           "-r", os.path.join(here, "..", "requirements", "collections.txt"), "-d", download])
    wheel = glob.glob(os.path.join(download, "ansible-*.whl"))[0]
    with zipfile.ZipFile(wheel) as archive:
        for collection in COLLECTIONS:
            prefix = "ansible_collections/%s/" % collection
            shutil.rmtree(os.path.join(root, prefix), ignore_errors=True)
            members = [m for m in archive.namelist() if m.startswith(prefix)]
            archive.extractall(root, members)
            print("installed %s from %s" % (collection.replace("/", "."), os.path.basename(wheel)))
with open(marker, "w") as out:
    out.write(requirement)
