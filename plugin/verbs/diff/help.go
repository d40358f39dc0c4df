package diff

const diffLong = `Show what ` + "`kubectl drunc boot`" + ` of a configuration would change in a running
session, without changing anything: the processes it would create (missing:
never created, killed, flushed, or lost), the pods the configuration does
not have (extra), the processes whose pod or service differs from the
configuration, field by field (command and arguments, environment, host,
image, volumes, resources, labels), and the processes that died, with their
exit code.

The configuration is given as to boot (-f FILE, or --oks FILE --session-id
ID, with the same --pm-config), and so is the session: -n, else the one
the configuration names, as boot would boot it (a boot file's
metadata.name); without --session-id the OKS Session is the one called
like the session (-n), or the file's only one. When the session
was booted from another source (another file name, or another OKS
Session), boot would refuse this one: diff says so on stderr, and still
compares. Sessions booted by drunc's Python process manager work too: their
pods are compared as they are. A died process whose pod is as configured
counts as unchanged too, and the summary says how many of those died.

-o json and -o yaml print the schema drunc.daq/v1, kind SessionDiff:
session, missing, extra, changed (field by field), died and unchanged;
fields may be added within drunc.daq/v1, never renamed or removed.

Exit codes follow kubectl diff: 0 when the session is as configured, 1 when
it differs, 2 (or more) on an error.`

const diffExamples = `  # What would booting run42.yaml change in session run42?
  kubectl drunc diff -n run42 -f test/e2e/examples/testdata/run42.yaml

  # The same as YAML, for a script
  kubectl drunc diff -n run42 -f test/e2e/examples/testdata/run42.yaml -o yaml

  # Only the exit code: 0 as configured, 1 differs, 2 error
  kubectl drunc diff -n run42 -f test/e2e/examples/testdata/run42.yaml -o json > /dev/null`
