#!/bin/bash
# One peers contender run (its own JVM, RunMain, 2 s after 0.5 s warm-up) from a build tree, printing records/s.
# The A/B of 2026-12-04 (ab.txt) built the commit before the short-record copy in a git worktree (/tmp/old, with
# this commit's peers sources for the -ring16m contender) and ran, from /tmp:
#   for rep in 1 2 3; do for spec in "ringwal-every-batch-reserved 64" "ringwal-every-batch-reserved-ring16m 64" \
#       "ringwal-every-batch-reserved 1024" "ringwal-never 64" "ringwal-never 1024"; do set -- $spec
#     o=$(ab.sh /tmp/old $1 $2); n=$(ab.sh /work/main $1 $2); echo "$rep $1 $2 old=$o new=$n"; done
#     echo "$rep gc64 $(ab.sh /work/main group-commit-reused 64)"; done
# ab.sh tree contender size producers -> prints recordsPerSec
tree=$1; c=$2; size=$3; p=${4:-1}
cd $tree
rm -rf /tmp/jfr/d; mkdir -p /tmp/jfr/d
java -Xms2g -Xmx2g -XX:+AlwaysPreTouch --add-opens java.base/jdk.internal.misc=ALL-UNNAMED \
  -cp "peers/target/classes:$(cat peers/target/classpath.txt)" io.ringwal.peers.RunMain --contender $c --dir /tmp/jfr/d/run --size $size --producers $p --duration-ms 2000 --warmup-ms 500 2>&1 | grep -o '"recordsPerSec":[0-9.E]*' | cut -d: -f2
