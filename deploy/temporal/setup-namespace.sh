#!/bin/sh
# One-shot service `temporal-setup` of docker-compose.yml (image temporalio/admin-tools): our namespace
# and the custom search attributes our workflows set, as workflows/search-attributes.ts defines them
# (unit, OT status, stage, school year, caseworker; never a name or an id number). Idempotent.
set -eu
ADDRESS="${TEMPORAL_ADDRESS:-temporal-frontend:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:?}"
# Closed workflows (their histories hold the cases' payloads) are kept a year by default: no longer than
# OT_RETENTION_YEARS lets the data be kept (`ot status` checks it; README "Retention").
RETENTION="${TEMPORAL_RETENTION:-8760h}"

# name=type, one per search attribute of workflows/search-attributes.ts
SEARCH_ATTRIBUTES="OtUnit=Keyword OtStatus=Keyword OtStage=Keyword SchoolYear=Int Caseworker=Keyword"

retry() {
  n=0
  until "$@"; do
    n=$((n + 1))
    if [ "$n" -ge 30 ]; then return 1; fi
    sleep 2
  done
}

until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
  echo "waiting for Temporal at $ADDRESS"
  sleep 2
done

if temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
  echo "namespace $NAMESPACE exists"
  # A retention changed in the environment reaches the namespace made before.
  temporal operator namespace update --namespace "$NAMESPACE" --retention "$RETENTION" --address "$ADDRESS"
else
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$ADDRESS"
fi

# A new namespace takes a few seconds to reach every service: retry until its attributes can be listed.
n=0
until existing=$(temporal operator search-attribute list --namespace "$NAMESPACE" --address "$ADDRESS" 2>/dev/null); do
  n=$((n + 1))
  if [ "$n" -ge 30 ]; then
    echo "cannot list the search attributes of namespace $NAMESPACE" >&2
    exit 1
  fi
  sleep 2
done

for attribute in $SEARCH_ATTRIBUTES; do
  name=${attribute%=*}
  type=${attribute#*=}
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    retry temporal operator search-attribute create --namespace "$NAMESPACE" --address "$ADDRESS" --name "$name" --type "$type"
  fi
done
echo "namespace $NAMESPACE and its search attributes ready"
