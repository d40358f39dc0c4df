package boot

import (
	"fmt"
	"strconv"
)

// idFlag is a uid/gid flag whose unset value (-1) means "the invoking
// user's"; it shows no default in --help, so the help and the generated
// docs do not depend on who runs them.
type idFlag struct{ v *int64 }

func (f idFlag) String() string {
	if f.v == nil || *f.v < 0 {
		return ""
	}
	return strconv.FormatInt(*f.v, 10)
}

func (f idFlag) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not a numeric id (0 or more)", s)
	}
	*f.v = n
	return nil
}

func (f idFlag) Type() string { return "int" }
