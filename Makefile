# Development loop of the tomodachi monorepo. Every target installs what it needs into .venv first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
EDITABLES := -e 'packages/envelope[protobuf]' -e packages/middleware -e packages/transport-http \
	-e packages/transport-awssnssqs -e packages/transport-amqp -e packages/scheduler \
	-e 'packages/framework[uvloop,opentelemetry,opentelemetry-exporter-prometheus]'

.PHONY: install run test lint format typecheck bench isolation interop broker clean

install: $(VENV)/.installed

# One resolver run for every package (editable) and the development groups of the root pyproject.
$(VENV)/.installed: pyproject.toml packages/*/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade 'pip>=25.1'
	$(BIN)/python -m pip install --quiet $(EDITABLES) --group dev
	touch $@

run: install
	$(BIN)/tomodachi run examples/http_service.py

broker:
	bash scripts/ensure-rabbitmq.sh

test: install broker
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install
	$(BIN)/mypy packages/*/src scripts examples bench
	# Test folders one at a time: each may have its own conftest module.
	for tests in packages/*/tests tests; do $(BIN)/mypy $$tests || exit 1; done

bench: install
	$(BIN)/python bench/run.py

isolation: install
	$(BIN)/python scripts/isolation.py

# Messages (and OpenTelemetry traces, over SNS+SQS and AMQP) exchanged with tomodachi 0.29 (its own venv,
# from PyPI) on the same topics and queues.
interop: install broker
	$(BIN)/python scripts/interop_awssnssqs.py
	$(BIN)/python scripts/interop_amqp.py
	$(BIN)/python scripts/interop_opentelemetry.py

clean:
	rm -rf $(VENV) build dist bench/.venv-*
