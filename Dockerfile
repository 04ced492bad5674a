# Redis ML Console — production image: Next's standalone output, run as a non-root user.
# docker build -t redis-ml-console .   then see docker-compose.yml or README "Deploying".

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# Builds .next/standalone with public/ and .next/static copied beside server.js.
RUN npm run build

FROM node:20-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    CONSOLE_DATA_DIR=/data
RUN groupadd --system --gid 1001 console \
 && useradd --system --uid 1001 --gid console --home-dir /app console \
 && mkdir /data && chown console:console /data
COPY --from=build --chown=console:console /app/.next/standalone ./
USER console
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]
