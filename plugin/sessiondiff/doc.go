// Package sessiondiff tells what a boot of a configuration would change in
// a running session: processes missing (with why, from the session record
// when there is one), extra, changed field by field, and processes that
// died (with their exit code). It works without a record too (sessions
// booted by drunc's Python manager): it compares the pods that exist.
//
// # What is compared
//
// Only the fields the renderer (plugin/podspec) sets, each normalised the
// way the apiserver defaults it, so a pod created from a rendering compares
// equal to that rendering after the apiserver filled in its defaults:
// FieldsOf projects a pod or service onto those fields, and the same
// projection is applied to both sides. Everything else is ignored: status,
// uid, resourceVersion, managedFields, the ServiceAccount token volume and
// its mounts, scheduling and other server defaults, the service's
// allocated cluster IP; and three fields boot itself sets, not the
// configuration: the boot-record annotation (it restates the compared
// fields), the hostAliases that point "localhost" at the connection
// server, and the service's owner reference. A uuid is compared only when
// the configuration gives one: render with UUID: NoUUID.
package sessiondiff
