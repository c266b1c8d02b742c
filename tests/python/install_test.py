"""The README's install command works offline: a venv with the system's grpcio
and protobuf, `pip install --no-build-isolation --no-index` of clients/python,
and `import thor` from it (outside the checkout) gets the installed package
with stubs that do not shadow grpc."""

import os
import shutil
import subprocess
import sys
import unittest

import thor_testing

CHECK = """
import grpc, thor, thor.aio, thor.health, thor.reflection
import thor._proto.health_pb2_grpc as health_grpc
assert health_grpc.grpc is grpc, "the stubs shadowed grpc"
assert "site-packages" in thor.__file__, thor.__file__
print(thor.__file__)
print(thor.Client.__name__, thor.aio.Client.__name__, thor.__version__)
"""


class InstallTest(unittest.TestCase):

    def test_offline_install_into_a_venv(self):
        tmp = thor_testing.make_temp_dir()
        self.addCleanup(shutil.rmtree, tmp, True)
        # A copy, so that setuptools' build/ and egg-info stay out of the tree.
        src = os.path.join(tmp, "python")
        shutil.copytree(thor_testing.PACKAGE_DIR, src,
                        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
        venv = os.path.join(tmp, "venv")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PIP_NO_CACHE_DIR="1")
        r = subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv],
                           capture_output=True, text=True, env=env)
        self.assertEqual(r.returncode, 0, r.stderr + "\n(Debian: apt-get install python3-venv)")
        r = subprocess.run([os.path.join(venv, "bin", "pip"), "install", "--no-build-isolation",
                            "--no-index", src], capture_output=True, text=True, env=env, cwd=tmp)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = subprocess.run([os.path.join(venv, "bin", "python"), "-c", CHECK],
                           capture_output=True, text=True, env=env, cwd=tmp)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertTrue(r.stdout.startswith(os.path.join(venv, "lib")), r.stdout)
        self.assertIn("Client Client", r.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
