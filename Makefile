# Glowstep: `make run` sets up and serves the app; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
PROXY_PORT ?= 8080
CHROMIUM := /usr/bin/chromium
export FLASK_APP := wsgi

.PHONY: run serve serve-proxy test lint db content offline icons vendor chromium redis nginx loadtest clean bench bench-scale bench-mirror audit screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps: reinstall only when a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

db: $(VENV)/.runtime
	$(BIN)/flask db upgrade

content: db
	$(BIN)/flask content load

# The service worker (Workbox, app/offline/build.py) for the static files as they are now:
# build/sw.js, git-ignored, and static/vendor/ (idb, workbox-window copied from node_modules).
offline: $(VENV)/.runtime node_modules/.installed
	$(BIN)/flask offline build

# The app icons as PNG, from static/icons/*.svg (committed; run after changing an SVG).
icons: $(VENV)/.dev chromium
	$(BIN)/python app/offline/make_icons.py

# Mirror mode's model (app/mirror): MediaPipe Face Mesh, pinned in package.json, copied from
# node_modules into a git-ignored folder the app serves under its own fingerprint. Only the files
# the browser loads: the SIMD and plain wasm builds, the packed model and graph, the glue scripts.
FACE_MESH := node_modules/@mediapipe/face_mesh
MIRROR_MODEL := app/vendor/face_mesh
$(MIRROR_MODEL)/.copied: node_modules/.installed
	rm -rf $(MIRROR_MODEL) && mkdir -p $(MIRROR_MODEL)
	cp $(FACE_MESH)/face_mesh.js $(FACE_MESH)/face_mesh.binarypb $(FACE_MESH)/face_mesh_solution_packed_assets.data \
	  $(FACE_MESH)/face_mesh_solution_packed_assets_loader.js $(FACE_MESH)/face_mesh_solution_simd_wasm_bin.js \
	  $(FACE_MESH)/face_mesh_solution_simd_wasm_bin.wasm $(FACE_MESH)/face_mesh_solution_wasm_bin.js \
	  $(FACE_MESH)/face_mesh_solution_wasm_bin.wasm $(MIRROR_MODEL)/
	touch $@

vendor: $(MIRROR_MODEL)/.copied

run: content offline vendor
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# The production server (gunicorn, gunicorn.conf.py) on loopback.
serve: content offline vendor
	GLOWSTEP_BIND=127.0.0.1:$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# nginx (deploy/nginx.conf) on 127.0.0.1:$(PROXY_PORT) in front of `make serve`'s gunicorn on
# 127.0.0.1:$(PORT): static files, compression and the shared cache of visitors' pages. Its
# configuration, logs and cache go to instance/nginx/; the system's nginx is left alone.
serve-proxy: content offline vendor nginx
	$(BIN)/python -m deploy.proxy --listen 127.0.0.1:$(PROXY_PORT) --app-port $(PORT)

# Browser tests drive Debian's Chromium; we never download a browser.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "Browser tests need Debian's chromium at $(CHROMIUM): run 'sudo apt-get install chromium'." >&2; exit 1; \
	  fi; \
	fi

# The test of several app processes shares its rate limit through a redis-server it starts.
redis:
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; \
	  else \
	    echo "Without Debian's redis-server the shared rate-limit test is skipped: 'sudo apt-get install redis-server'." >&2; \
	  fi; \
	fi

# Debian's nginx, for `make serve-proxy` and the test of its cache (skipped, saying so, without it).
nginx:
	@if [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; \
	  else \
	    echo "Without Debian's nginx, serve-proxy cannot run and its cache test is skipped: 'sudo apt-get install nginx'." >&2; \
	  fi; \
	fi

# Static checks: lint, and no security finding of medium severity or above.
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive app --severity-level medium

# The suite runs on SQLite; with TEST_DATABASE_URL set (a PostgreSQL role that may create
# databases, as .ci/run makes) it runs a second time on PostgreSQL. Tests without a browser run
# on TEST_WORKERS processes (pytest-xdist: each has its own databases, ports and servers); the
# browser tests run once, on SQLite, one at a time: the mirror's detections need a core.
TEST_WORKERS ?= 2
test: $(VENV)/.dev node_modules/.installed offline vendor chromium redis nginx lint
	TEST_DATABASE_URL= $(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not browser"
	TEST_DATABASE_URL= $(BIN)/python -m pytest -m browser
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== the same suite on PostgreSQL (browser tests ran once, above)"; \
	  $(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not browser"; \
	fi

# A longer load-and-kill run than the one in `make test`; prints what it served and stored.
LOAD_SECONDS ?= 60
loadtest: $(VENV)/.runtime
	$(BIN)/python -m bench.loadtest --seconds $(LOAD_SECONDS)

clean:
	rm -rf $(VENV) node_modules .pytest_cache build app/static/vendor

$(VENV)/.bench: requirements-bench.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

# The load mix (bench/locustfile.py) against the production configuration and the hello-world
# ceiling, servers on core 0 and Locust on core 1, against budgets (bench/README.md).
# BENCH_SECONDS (default 20) is the length of each measured run; writes bench/results/latest.json.
bench: $(VENV)/.bench
	$(BIN)/python -m bench.mix

# The signed-in pages on PostgreSQL with 100,000 people and 10,000,000 sessions (loaded with
# COPY), with an EXPLAIN of every query; writes bench/results/scale.json.
bench-scale: $(VENV)/.bench
	.ci/with-postgres $(BIN)/python -m bench.scale

# Lighthouse 12 (pinned in package.json) on /, a routine page and a player step, with its default
# mobile emulation and simulated throttling, against budgets; writes bench/results/audit.json.
# THEME=dark audits with the system set to dark (bench/results/audit-dark.json).
THEME ?= light
audit: $(VENV)/.runtime node_modules/.installed chromium
	$(BIN)/python -m bench.audit --theme $(THEME)

# Full-page PNGs of every page, visitor and signed-in, light and dark, at 390x844 and 1366x900,
# into screenshots/ (git-ignored) for a person to look at; SHOTS=name limits them (bench/screenshots.py).
screenshots: $(VENV)/.dev chromium
	$(BIN)/python -m bench.screenshots $(if $(SHOTS),--only $(SHOTS))

# Mirror mode in headless Chromium with a fake camera (the astronaut photo that ships with
# scikit-image) on a playing player step: detections per second over 10 s; writes bench/results/mirror.json.
bench-mirror: $(VENV)/.dev vendor chromium
	$(BIN)/python -m bench.mirror
