package examples

import (
	"regexp"
	"strings"
)

// marked lists the examples that do not run on the local cluster, each with
// its reason. Keep it short: an example is better fixed than marked.
var marked = map[string]string{
	"kubectl drunc completion powershell | Out-String | Invoke-Expression": "needs PowerShell",
}

// quiet lists the streaming examples that may rightly print nothing while
// they run on the fixture session, each with its reason; they must still
// run without error.
var quiet = map[string]string{
	"kubectl drunc events -A -w --types Warning -o json": "prints Warning events only, and a healthy fixture session has none",
}

// redirect matches an example's final output redirection (`> FILE`, e.g.
// into the shell's completion directory): the test writes to a file of its
// own instead, so no example changes the machine's configuration.
var redirect = regexp.MustCompile(`\s>\s*\S+\s*$`)

// needsDUNE says whether an example reads DUNE DAQ's own configuration files
// (a release's DB path): it runs when they are present (../shared/oks or
// DRUNC_SHARED_OKS, given to it as DUNEDAQ_DB_PATH) and is skipped, saying
// so, when they are not.
func needsDUNE(command string) bool {
	return strings.Contains(command, "config/daqsystemtest/")
}

// streams says whether an example runs until interrupted (logs -f, ps -w):
// it passes when it is still running, without error, after a few seconds.
func streams(command string) bool {
	fields := strings.Fields(command)
	for _, f := range fields {
		switch f {
		case "-w", "--watch", "--follow":
			return true
		case "-f":
			if len(fields) > 2 && fields[2] == "logs" {
				return true
			}
		}
	}
	return false
}
