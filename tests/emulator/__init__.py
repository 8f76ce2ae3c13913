"""A local emulator of Cloudflare's Logpush API (see README.md). Run with `python -m emulator`."""
