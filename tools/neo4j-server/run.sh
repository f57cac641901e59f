#!/usr/bin/env bash
# Start the kg development Neo4j Community server (neo4j-harness from Maven Central).
#
#   tools/neo4j-server/run.sh [--port N] [--http-port N] [--data DIR] [--work DIR] [--pagecache SIZE]
#   tools/neo4j-server/run.sh --build-only      # just build (mvn), then exit
#   tools/neo4j-server/run.sh --ensure-built    # build only if out of date, then exit
#
# Builds with Maven the first time (target/classes and target/lib missing), then execs java.
# Prints BOLT_URI=... and HTTP_URI=... on stdout when ready; SIGTERM stops it cleanly.
# Environment: KG_NEO4J_HEAP (default 1g), KG_NEO4J_GC (default -XX:+UseParallelGC),
#              JAVA (default: java on PATH), MVN (default: mvn),
#              KG_MAVEN_REPO (optional -Dmaven.repo.local for the build).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
java_bin="${JAVA:-java}"
mvn_bin="${MVN:-mvn}"

build() {
    if ! command -v "$mvn_bin" >/dev/null 2>&1; then
        echo "kg-neo4j: Maven ('$mvn_bin') not found; install Maven 3.8+ and Java 17+" >&2
        exit 127
    fi
    local repo_args=()
    if [[ -n "${KG_MAVEN_REPO:-}" ]]; then
        repo_args=("-Dmaven.repo.local=${KG_MAVEN_REPO}")
    fi
    echo "kg-neo4j: building $here (first run downloads ~150 MB from Maven Central)" >&2
    if [[ -f "$here/target/.built" && "$here/pom.xml" -nt "$here/target/.built" ]]; then
        rm -rf "$here/target/lib"  # no stale jars after a dependency change
    fi
    rm -f "$here/target/.built"
    # stdout of mvn goes to stderr so that our stdout only carries the URI lines
    "$mvn_bin" -q -B -Dstyle.color=never -f "$here/pom.xml" "${repo_args[@]}" \
        package dependency:copy-dependencies -DoutputDirectory=target/lib \
        -DincludeScope=runtime 1>&2
    echo >&2  # Maven 3.8 -q leaves an ANSI reset without a newline
    touch "$here/target/.built"
}

needs_build() {
    [[ ! -f "$here/target/.built" ]] && return 0
    [[ "$here/pom.xml" -nt "$here/target/.built" ]] && return 0
    [[ -n "$(find "$here/src" -newer "$here/target/.built" -type f -print -quit)" ]] && return 0
    return 1
}

if [[ "${1:-}" == "--build-only" ]]; then
    build
    exit 0
fi
if [[ "${1:-}" == "--ensure-built" ]]; then
    if needs_build; then build; fi
    exit 0
fi
if needs_build; then
    build
fi

if ! command -v "$java_bin" >/dev/null 2>&1; then
    echo "kg-neo4j: Java ('$java_bin') not found; install Java 17+" >&2
    exit 127
fi

# The module flags Neo4j's own launcher passes (server.jvm.additional in neo4j.conf and the
# bootloader): Neo4j's page cache, native access and Netty reach into JDK internals.
# GC: the throughput collector. A dev server loads batches and answers test queries; on the
# 2-core development machine it needed about 10% less CPU per `kg push` than G1 (Neo4j's
# production default; KG_NEO4J_GC=-XX:+UseG1GC brings it back). docs/neo4j-push.md, "Rates".
jvm_flags=(
    "-Xmx${KG_NEO4J_HEAP:-1g}"
    "${KG_NEO4J_GC:--XX:+UseParallelGC}"
    -XX:-OmitStackTraceInFastThrow
    -XX:+UnlockExperimentalVMOptions
    -XX:+TrustFinalNonStaticFields
    -XX:+DisableExplicitGC
    -Djdk.nio.maxCachedBufferSize=1024
    -Dio.netty.tryReflectionSetAccessible=true
    -Dlog4j2.disable.jmx=true
    -Dfile.encoding=UTF-8
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens=java.base/java.lang=ALL-UNNAMED
    --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED
    --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
    --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
    --enable-native-access=ALL-UNNAMED
)

# KG_NEO4J_JAVA_OPTS: extra JVM flags (word-split), e.g. "-XX:TieredStopAtLevel=1"
# shellcheck disable=SC2206
extra_flags=(${KG_NEO4J_JAVA_OPTS:-})

exec "$java_bin" "${jvm_flags[@]}" "${extra_flags[@]}" \
    -cp "$here/target/classes:$here/target/lib/*" \
    kg.neo4j.Main "$@"
