// Package procreate is the one way kubectl-drunc creates a process: its
// pod, then its service owned by the pod. Boot, restart and the re-creation
// of a process from its record all go through it, so each gets the same
// robustness: creates are retried while the API is briefly away (an
// apiserver or etcd restart), an earlier try that did go through is taken
// for the result instead of AlreadyExists, a pod whose service is refused
// is deleted again (no process is left half-made), and every object is
// written under FieldManager.
//
// It also holds what boot and restart check once a process is Ready: the
// address of its node (NodeAddress) and whether it answers there over HTTP
// (the local connection server) or TCP (the root controller): Reach. And
// the gates both pass the same way before creating what depends on them
// (the local connection server, then the root controller): Gate. Errors
// wrap the API's, so callers still tell them apart (apierrors.Is*).
package procreate

import "errors"

// FieldManager names kubectl-drunc in managedFields.
const FieldManager = "kubectl-drunc"

// ErrFakeNode: the process runs on a kwok fake node, where nothing can
// answer; its probe is skipped.
var ErrFakeNode = errors.New("its node is a kwok fake node (kwok.x-k8s.io/node: fake), where nothing runs to answer")
