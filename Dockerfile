# The Linnet controller image. Build from the repository root:
#   docker build -t ghcr.io/linnet/controller:0.1.0 .
# The image runs the controller as plain JavaScript (packages/controller/build/main.mjs, `npm run bundle:controller`:
# Linnet's workspaces bundled by esbuild, npm packages left as imports) on the controller workspace's production
# dependencies; no TypeScript, no dev dependencies. Node 24 could run the sources directly, but type stripping costs
# about 30 MiB of resident memory for the life of the process (docs/benchmarks.md). It runs as a non-root user and
# writes nothing, so it suits a read-only root filesystem (deploy/controller/deployment.yaml). The test loader has
# its own image: deploy/testloader/Dockerfile.
# Without a Docker daemon, `npm run image` (deploy/image/build) builds the same layout on a Debian base.

# Production node_modules of the controller workspace. Only the manifests are copied first, so this layer is rebuilt
# only when dependencies change. npm links the workspace packages (@linnet/api, @linnet/core) into node_modules as
# symlinks to packages/*; the bundle holds them, so the links go. No install scripts are needed (or run).
FROM node:24-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/api/package.json packages/api/package.json
COPY packages/core/package.json packages/core/package.json
COPY packages/controller/package.json packages/controller/package.json
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
      --workspace packages/controller --include-workspace-root=false \
 && rm -rf node_modules/@linnet \
 && find node_modules \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.cts' -o -name '*.d.mts' \) -delete

# The bundle, built with the dev dependencies (esbuild) from the sources of the three workspaces it holds.
FROM node:24-slim AS bundle
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/api/package.json packages/api/package.json
COPY packages/core/package.json packages/core/package.json
COPY packages/controller/package.json packages/controller/package.json
RUN npm ci --ignore-scripts --no-audit --no-fund --workspace packages/controller --include-workspace-root=false
COPY packages/api/src packages/api/src
COPY packages/core/src packages/core/src
COPY packages/controller/src packages/controller/src
COPY packages/controller/scripts packages/controller/scripts
RUN npm run -s bundle -w packages/controller

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=dependencies /app/package.json ./package.json
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=bundle /app/packages/controller/build ./packages/controller/build
# 65532: the conventional "nonroot" user; the files stay owned by root and read-only to it.
USER 65532:65532
EXPOSE 8080
# V8's flags come from the Deployment's NODE_OPTIONS (--jitless there: about 45 MiB less at 1,000 Canaries).
ENTRYPOINT ["node", "packages/controller/build/main.mjs"]
CMD ["-port=8080"]
