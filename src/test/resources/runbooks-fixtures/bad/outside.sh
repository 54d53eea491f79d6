#!/bin/sh
# Fixture: exists, but outside bad/scripts/, so lint must refuse it.
echo outside
