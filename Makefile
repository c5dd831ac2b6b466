# jruntime build driver. `make` builds bin/jruntime; `make demo` and `make test` are the README's two commands.
SHELL := /bin/bash
PREFIX ?= /usr/local
TOP := $(abspath .)

# A JDK >= 25 is required (FFM API final, AOT cache). Prefer $JAVA_HOME, then any /usr/lib/jvm entry.
# Looked up lazily so that `make deps` works (and explains itself) on a machine without one.
JDK = $(or $(JDK_FOUND),$(error no JDK >= 25 found: set JAVA_HOME to one (Temurin 25 installs under /usr/lib/jvm/temurin-25-jdk-amd64)))
JDK_FOUND := $(shell scripts/find-jdk.sh 2>/dev/null)
ifneq ($(JDK_FOUND),)
  export JAVA_HOME := $(JDK_FOUND)
endif
MVN = JAVA_HOME=$(JDK) mvn -B -q -Dstyle.color=never

LIBDIR := $(TOP)/build/lib/jruntime
JAR := $(LIBDIR)/jruntime.jar
INIT := $(LIBDIR)/jruntime-init
AOT := $(LIBDIR)/jruntime.aot

.PHONY: all build jar native launcher aot deps test unit-test integration-test conformance demo install clean bench

all: build

build: jar native launcher aot

jar:
	$(MVN) -DskipTests package
	rm -rf $(LIBDIR)/lib && mkdir -p $(LIBDIR)/lib
	cp runtime-cli/target/jruntime.jar $(JAR)
	cp runtime-cli/target/lib/*.jar $(LIBDIR)/lib/

native:
	mkdir -p $(LIBDIR)
	$(MAKE) -C runtime-core/src/main/c OUT=$(INIT)

launcher:
	mkdir -p bin && scripts/make-launcher.sh "$(JDK)" "$(LIBDIR)" bin/jruntime

# The AOT cache is made from the final jar by running real subcommands; it must be rebuilt whenever the jar changes.
aot: launcher
	scripts/make-aot.sh "$(JDK)" "$(LIBDIR)"

deps:
	scripts/deps.sh

unit-test:
	$(MVN) test

integration-test: build
	$(MVN) -pl test-bundles -am -Djruntime.it.skip=false -Dsurefire.failIfNoSpecifiedTests=false test

test: deps build
	$(MVN) -Djruntime.it.skip=false test

# The differential harness against runc 1.1.5 in full (`make test` runs its fast subset); writes docs/CONFORMANCE.md.
conformance: build
	$(MVN) -pl test-bundles -am -Djruntime.it.skip=false -Djruntime.conformance=full -Dsurefire.failIfNoSpecifiedTests=false test -Dtest=RuncConformanceIT

demo: deps build
	scripts/demo.sh

install: build
	install -d $(PREFIX)/lib/jruntime/lib $(PREFIX)/bin
	install -m 644 $(JAR) $(PREFIX)/lib/jruntime/jruntime.jar
	install -m 644 $(LIBDIR)/lib/*.jar $(PREFIX)/lib/jruntime/lib/
	install -m 755 $(INIT) $(PREFIX)/lib/jruntime/jruntime-init
	scripts/make-launcher.sh "$(JDK)" "$(PREFIX)/lib/jruntime" $(PREFIX)/bin/jruntime
	scripts/make-aot.sh "$(JDK)" "$(PREFIX)/lib/jruntime"

# Side-by-side timings with runc (and crun where the host lets it run); figures go to docs/PERFORMANCE.md.
bench: build
	bench/startup.sh
	bench/lifecycle.sh
	bench/checkpoint.sh
	bench/engines.sh

clean:
	$(MVN) clean
	rm -rf build bin
