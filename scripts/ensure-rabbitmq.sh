#!/usr/bin/env bash
# Makes sure a RabbitMQ broker answers on 127.0.0.1:5672, starting the local one when it is down.
set -euo pipefail

port_open() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

if port_open; then
  exit 0
fi
if ! command -v rabbitmq-server >/dev/null 2>&1; then
  echo "RabbitMQ is not answering on 127.0.0.1:5672 and rabbitmq-server is not installed" >&2
  exit 1
fi
echo "starting RabbitMQ (rabbitmq-server -detached)" >&2
rabbitmq-server -detached || true
for _ in $(seq 1 120); do
  if port_open; then
    exit 0
  fi
  sleep 1
done
echo "RabbitMQ did not open 127.0.0.1:5672 within 120 s" >&2
exit 1
