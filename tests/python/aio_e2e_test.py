"""thor.aio against a real `thor serve` with real coqtop: the same shape as
thor.Client, with coroutines, async iterators and `async with`."""

import asyncio
import time
import unittest

import thor_testing
import thor
import thor.aio
from thor import events

ADD_0 = thor.Theorem("forall n : nat, n + 0 = n", name="add_0")


class AioTest(thor_testing.ServerTestCase):

    def run_async(self, coroutine_function):
        async def main():
            async with thor.aio.Client(self.server.address, timeout=300) as client:
                return await coroutine_function(client)
        return asyncio.run(main())

    def test_prove_streams_events(self):
        async def prove(client):
            return [e async for e in client.prove(ADD_0, sequential=True, wall_time_s=120,
                                                  hammer_timeout_s=5)]
        stream = self.run_async(prove)
        self.assertIsInstance(stream[-1], events.Finished)
        self.assertEqual(sum(isinstance(e, events.Finished) for e in stream), 1)
        self.assertEqual(stream[-1].result.status, thor.SearchStatus.PROVED,
                         stream[-1].result.message)

    def test_session_and_errors(self):
        async def session(client):
            async with client.session(ADD_0) as s:
                r = await s.run(s.root, "intros n.")
                err = await s.run(r.state, "exact I.")
                refused = await s.run(r.state, "admit.")
                done = None
                state = r.state
                for step in ["induction n.", "reflexivity.", "simpl.", "rewrite IHn.",
                             "reflexivity."]:
                    done = await s.run(state, step)
                    state = getattr(done, "state", state)
                check = await s.check(state)
                got = await s.get(r.state.id)
            try:
                await s.run(r.state, "simpl.")
                closed = None
            except thor.SessionNotFound as e:
                closed = e
            return r, err, refused, done, check, got, closed

        r, err, refused, done, check, got, closed = self.run_async(session)
        self.assertIsInstance(r, thor.TacticState)
        self.assertIsInstance(err, thor.StepError)
        self.assertIsInstance(refused, thor.Refused)
        self.assertIsInstance(done, thor.ProofFinished)
        self.assertEqual(check.verdict, thor.RecheckVerdict.PASSED, check.message)
        self.assertEqual(got, r.state)
        self.assertIsNotNone(closed, "a call on a closed session must raise SessionNotFound")

    def test_cancelling_a_task_stops_the_step_on_the_server(self):
        async def cancel(client):
            async with client.session(ADD_0, step_timeout_s=120) as s:
                looping = asyncio.create_task(s.run(s.root, "repeat (assert True by trivial)."))
                await asyncio.sleep(1.5)
                looping.cancel()
                start = time.monotonic()
                # A session runs one call at a time: this one waits for the
                # looping step, which only cancellation stops before 120 s.
                r = await s.run(s.root, "intros n.")
                return looping.cancelled(), r, time.monotonic() - start

        cancelled, r, waited = self.run_async(cancel)
        self.assertTrue(cancelled)
        self.assertIsInstance(r, thor.TacticState)
        self.assertLess(waited, 30)

    def test_concurrent_sessions(self):
        async def one(client, i):
            async with client.session(ADD_0) as s:
                r = await s.run(s.root, "intros n.")
                return i, type(r)

        async def many(client):
            return await asyncio.gather(*(one(client, i) for i in range(3)))
        self.assertEqual(self.run_async(many), [(i, thor.TacticState) for i in range(3)])

    def test_health_reflection_and_typed_errors(self):
        async def calls(client):
            status = await client.health()
            watched = None
            async for watched in client.watch_health():
                break
            services = await client.services()
            differences = await client.api_differences()
            try:
                await client.check_proof(thor.Theorem(""), ["auto."])
                error = None
            except thor.InvalidTheorem as e:
                error = e
            return status, watched, services, differences, error

        status, watched, services, differences, error = self.run_async(calls)
        self.assertEqual(status, thor.HealthStatus.SERVING)
        self.assertEqual(watched, thor.HealthStatus.SERVING)
        self.assertIn("thor.v1.ProofSession", services)
        self.assertEqual(differences, [])
        self.assertIsNotNone(error)


if __name__ == "__main__":
    unittest.main(verbosity=2)
