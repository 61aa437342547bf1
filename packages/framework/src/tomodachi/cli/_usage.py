"""The texts of ``tomodachi --help`` and ``tomodachi run --help``."""

from __future__ import annotations

from tomodachi.__about__ import __version__

MAIN_USAGE = f"""usage: tomodachi <command> [options]

commands:
  run [options] <service.py ...>   start the services defined in the given files (aliases: start, go)

options:
  -h, --help                       show this help
  -v, --version                    print the tomodachi version
  --dependency-versions            print the versions of the libraries tomodachi runs on

use 'tomodachi run --help' for the options of the run command.
tomodachi {__version__}
"""

RUN_USAGE = f"""usage: tomodachi run [options] <service.py ...>

starts the tomodachi services defined in the given files.

options:
  --loop [auto|asyncio|uvloop]      event loop implementation (default: auto, which is uvloop when
                                    installed); env TOMODACHI_LOOP
  --production                      no restart on file changes and no banner; env TOMODACHI_PRODUCTION
  -l, --log-level [debug|info|warning|error|critical]
                                    minimum log level (default: info); env TOMODACHI_LOG_LEVEL
  --logger [console|json|python|disabled]
                                    log format (default: console); env TOMODACHI_LOGGER
  --custom-logger <module.attribute|module>
                                    send log events to a custom logger; env TOMODACHI_CUSTOM_LOGGER
  -c, --config <file.json ...>      JSON config files merged into the services (later files win)
  --opentelemetry-instrument        instrument with OpenTelemetry; env TOMODACHI_OPENTELEMETRY_INSTRUMENT
  -h, --help                        show this help

examples:
  $ tomodachi run service.py
  $ tomodachi run --production --logger json --loop uvloop service/app.py
tomodachi {__version__}
"""
