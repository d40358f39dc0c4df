// Package lifecycle holds the engines of the verbs that end or replace
// processes: kill (drunc's stage order, each stage waited for on the shared
// informer), terminate (kill, then the session's namespace if drunc made
// it), restart (kill, then recreate from the boot record or the pod spec)
// and flush (remove exited processes). Verbs only wire flags to a Config.
//
// Ownership is checked here, once, for every verb: nothing without the drunc
// creator label is ever deleted or modified, and pods are deleted with a UID
// precondition so a stale kill never deletes a pod a concurrent restart has
// just created under the same name.
package lifecycle
