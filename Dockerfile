# The image of our services (docker-compose.yml): worker (default command), API, migrate.
#   docker build -t ot-campaign .
#   docker run --rm ot-campaign node dist/client/api/main.js
# Configuration comes from the environment at run time (DATABASE_URL, TEMPORAL_ADDRESS, OT_CASE_ID_KEY...);
# nothing secret is built in (.dockerignore keeps .env files and data/ out of the build context).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first: this layer is reused until package.json or the lock changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# At run time the code finds the project root as the folder with package.json and db/migrations
# (domain/project-root.ts): the migrations are read from db/migrations, the worker bundles dist/workflows.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/db/migrations ./db/migrations
COPY --from=build /app/bin ./bin
# The default letter and SMS templates are read at run time; a county's own per school year come from OT_TEMPLATES_DIR.
COPY --from=build /app/templates ./templates
USER node
CMD ["node", "dist/worker/main.js"]
