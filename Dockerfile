# Công dân số Live: one image for every node.
# Stage 1 builds the Svelte client with the dev dependencies; the runtime stage has production dependencies
# only (tsx included: production runs the TypeScript server with it), the built client, and runs as `node`.
FROM node:20-bookworm-slim AS client
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:client

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY server/src server/src
COPY protocol protocol
COPY contests contests
COPY --from=client /app/client/dist client/dist
# Files stay root-owned and read-only to the server; it writes nothing but stdout (tsx's cache goes to /tmp).
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node_modules/.bin/tsx", "server/src/index.ts"]
