#!/usr/bin/env python3
"""Runs a command and prints its output followed by ` cpu_s=<user + system seconds>` and
` write_bytes=<bytes it caused to be written to storage>` (rusage: blocks out, 512 bytes each)."""
import resource
import subprocess
import sys

result = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(result.stdout.strip(), f"cpu_s={usage.ru_utime + usage.ru_stime:.3f}", f"write_bytes={usage.ru_oublock * 512}")
