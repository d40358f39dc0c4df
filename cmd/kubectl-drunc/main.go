// Command kubectl-drunc is the kubectl plugin that runs DUNE DAQ drunc
// sessions as pods: `kubectl drunc boot|ps|wait|logs|kill|...`.
package main

import (
	"os"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/plugin"
)

func main() {
	streams := genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	os.Exit(plugin.Execute(streams, os.Args[1:]))
}
