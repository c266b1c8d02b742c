#!/bin/sh
# Runs one unittest module of tests/python with Debian's python3, which has
# python3-grpcio and python3-protobuf (a python3 first on PATH may have neither).
set -eu
export PYTHONDONTWRITEBYTECODE=1
exec /usr/bin/python3 "$(dirname "$0")/$1"
