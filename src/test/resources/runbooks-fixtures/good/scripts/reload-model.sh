#!/bin/sh
# Fixture script: only its existence and mode matter to lint.
echo '{"reloaded": true}'
