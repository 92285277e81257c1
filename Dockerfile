# syntax=docker/dockerfile:1
# packetlab's image: build the isolated-vm native module and the Prisma client in a build
# stage with a toolchain, then copy the result onto a slim runtime without one.
# Node 22 is the newest line the project supports (package.json engines).
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
# isolated-vm 5 compiles from source with node-gyp.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts ./scripts
RUN npm ci
COPY . .
# npm ci ran its `prepare` before the sources were here: build dist/ (the bundled service) and
# dist/web (the web app, with the development tools) now, so the container starts what
# `npm start` starts after `npm ci`.
RUN npm run build
# Development tools are not needed at run time; the generated Prisma client stays.
RUN npm prune --omit=dev && rm -rf test bench .ci web

FROM ${NODE_IMAGE} AS runtime
# Rust learner code (language "rust"): Debian bookworm's rustc 1.63 with its wasm32 standard
# library, lld-14 to link, bubblewrap to sandbox the compiler (prlimit and ldd are in the base
# image). The same image runs the API and `packetlab compile-server` (docker-compose.yml): only
# the compiler's container is allowed the namespaces bubblewrap needs. RUST=false leaves it out
# (about 300 MB); Rust is then off (RUST_ENABLED=auto finds no toolchain).
ARG RUST=true
RUN if [ "$RUST" = "true" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends rustc libstd-rust-dev-wasm32 lld-14 bubblewrap \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# MALLOC_MMAP_THRESHOLD_: glibc hands blocks of 64 KB and more back to the system when they are
# freed, as `npm start` has it (package.json; README, "Memory").
ENV NODE_ENV=production \
    MALLOC_MMAP_THRESHOLD_=65536 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# The embedded database (used only when DATABASE_URL is unset) writes under /data.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "scripts/healthcheck.mjs"]
# No --no-node-snapshot here: only the sandbox workers load isolated-vm (which needs it), and the
# runner starts them with it (WORKER_NODE_FLAGS in src/runner/pool.ts). The API process and the
# other commands start from Node's built-in snapshot, ~0.1 s less CPU at each start.
# Migrations are applied by `serve` at start-up, under an advisory lock (safe with replicas).
ENTRYPOINT ["node", "bin/packetlab.js"]
CMD ["serve"]
