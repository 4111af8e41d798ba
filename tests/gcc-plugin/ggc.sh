#!/bin/bash
# GCC only: the ABI checks of tests/plugins/abi-args.sh with GCC's garbage
# collector running at every chance, so a tree the plugin keeps between
# passes without registering it as a GC root shows as a crash or bad data.
exec bash "$(dirname "$0")/../plugins/abi-args.sh" gcc \
  "-O2 --param ggc-min-expand=0 --param ggc-min-heapsize=0"
