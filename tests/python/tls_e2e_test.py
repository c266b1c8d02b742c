"""thor.Client over TLS with a bearer token (thor serve --tls_cert/--tls_key/
--auth_token_file), sync and asyncio; a self-signed certificate made by openssl."""

import asyncio
import os
import shutil
import subprocess
import unittest

import thor_testing
import thor
import thor.aio


def make_certificate(directory):
    if shutil.which("openssl") is None:
        raise AssertionError("openssl is missing: apt-get install openssl")
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


class TlsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dir = thor_testing.make_temp_dir()
        cls.cert, key = make_certificate(cls.dir)
        token_file = os.path.join(cls.dir, "token")
        with open(token_file, "w", encoding="utf-8") as f:
            f.write("py-secret\n")
        cls.server = thor_testing.ThorServer(args=[f"--tls_cert={cls.cert}",
                                                   f"--tls_key={key}",
                                                   f"--auth_token_file={token_file}"])

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)
        if code != 0:
            raise AssertionError(f"thor serve exited {code}:\n{cls.server.log()}")
        left = thor_testing.leftover_children()
        if left:
            raise AssertionError(f"processes left behind: {', '.join(left)}")

    def test_tls_with_token(self):
        with thor.Client(self.server.address, root_certificates=self.cert, token="py-secret",
                         timeout=30) as client:
            self.assertEqual(client.health(), thor.HealthStatus.SERVING)
            self.assertIn("thor.v1.ProofSearch", client.services())
            with self.assertRaises(thor.InvalidTheorem):
                client.suggest(thor.Theorem(""))

    def test_wrong_or_missing_token_is_unauthenticated(self):
        for token in ("wrong", ""):
            with thor.Client(self.server.address, root_certificates=self.cert, token=token,
                             timeout=30) as client:
                with self.assertRaises(thor.Unauthenticated):
                    client.suggest(thor.Theorem("forall n : nat, n = n"))

    def test_plaintext_client_cannot_talk_to_a_tls_server(self):
        with thor.Client(self.server.address, token="py-secret", timeout=10) as client:
            with self.assertRaises(thor.Unavailable):
                client.suggest(thor.Theorem("forall n : nat, n = n"))

    def test_asyncio_over_tls(self):
        async def main():
            async with thor.aio.Client(self.server.address, root_certificates=self.cert,
                                       token_file=os.path.join(self.dir, "token"),
                                       timeout=30) as client:
                return await client.health()
        self.assertEqual(asyncio.run(main()), thor.HealthStatus.SERVING)


if __name__ == "__main__":
    unittest.main(verbosity=2)
