# Aegis: the API serving the web app on one port, with bubblewrap for the sandbox (docs/deploy.md).
# The base image is a build argument whose default is the official one; a machine that cannot pull passes a local
# stand-in (scripts/standin-images.sh): docker build --build-arg NODE_IMAGE=aegis-standin/node:24 .
# Few instructions on purpose: with Docker's classic builder every instruction, even ENV, copies the whole image on the
# vfs storage driver (docs/deploy.md "Building the image").
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
# PEM certificates npm must also trust, for a registry reached through a TLS-inspecting proxy; only this stage sees them.
ARG EXTRA_CA_CERTS=""
COPY . /src
# npm install, not npm ci: the lock file cannot list other platforms' optional binaries (see .ci/run). Native addons
# build against the image's own Node headers, offline. The output is gathered in /out: one COPY in the final stage.
RUN cd /src \
  && export CI=true NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true npm_config_nodedir=/usr/local \
  && if [ -n "$EXTRA_CA_CERTS" ]; then printf '%s\n' "$EXTRA_CA_CERTS" >/tmp/extra-ca.pem && export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; fi \
  && npm install --no-audit --no-fund --loglevel=error \
  && npx nx run-many -t build -p api web --output-style=static \
  && npm prune --omit=dev --no-audit --no-fund --loglevel=error \
  && mkdir -p /out/dist/apps \
  && mv package.json node_modules /out/ \
  && mv dist/apps/api dist/apps/web /out/dist/apps/ \
  && rm -rf /src /root/.npm

FROM ${NODE_IMAGE}
# bubblewrap runs the sandbox inside this container (docs/deploy.md "The sandbox in the container"); the sandboxed
# commands see this image's /usr, so git and file are here for the git and file tools.
RUN apt-get update -qq \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap git file >/dev/null \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /app /data /run/aegis/proc \
  && chown node:node /data
# Metadata before the large COPY: each of these instructions copies the image so far (see the top of this file).
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Aegis" \
      org.opencontainers.image.description="A self-hosted, governed AI orchestrator" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data SANDBOX_DRIVER=bwrap
WORKDIR /app
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["aegis-entrypoint"]
CMD ["node", "--enable-source-maps", "dist/apps/api/main.js"]
USER node
COPY deploy/docker-entrypoint.sh /usr/local/bin/aegis-entrypoint
COPY --from=build /out /app
