"""Incremental builds: a memo of the pure, costly steps of a build (memo), the digests
that key them (fingerprint), and repeated builds of one site in one process
(session) that `winwin serve` (preview) drives."""
