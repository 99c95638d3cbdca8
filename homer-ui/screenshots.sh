#!/bin/sh
# Regenerates docs/screenshots from the browser tests: each page at 1400 px (name.png) and at 1024 px
# (name-1024.png). The real-data pages come from RealStackBrowserIT (real homer-api over the Kamailio fixture),
# the QoS tab and the failed call's ladder from UiBrowserIT (its fake API: the fixture has no such calls).
# Needs chromium and chromium-driver (./hepstack test installs them). Run from anywhere.
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -o -q verify -pl homer-ui -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='UiBrowserIT,RealStackBrowserIT' -Dfailsafe.failIfNoSpecifiedTests=false -Djacoco.skip=true
from=homer-ui/target/screenshots
to=docs/screenshots
for width in "" "-1024"; do
  for page in search ladder embed live dashboard; do
    cp "$from/real-$page$width.png" "$to/$page$width.png"
  done
  cp "$from/real-admin-aliases$width.png" "$to/admin$width.png"
  for page in qos ladder-failures ladder-filters compare; do
    cp "$from/$page$width.png" "$to/$page$width.png"
  done
done
# the failed call's ladder in a 1024 px window, the message pane stacked below (the test's own width)
cp "$from/ladder-stacked.png" "$to/ladder-stacked.png"
# the customer's embed in a portal's 700 px frame
cp "$from/embed-700.png" "$to/embed-700.png"
echo "docs/screenshots regenerated: $(ls "$to" | wc -l) files"
