package bot

import "errors"

// registerRoutes is the one place where every chat flow's routes are
// registered. Each area adds one line calling its register…Routes func
// (defined in its own files); see doc.go.
func registerRoutes(a *App, rt *Router) error {
	res := newResident(a)
	registerAspirationRoutes(a, rt, res)
	registerResidentRoutes(rt, res)
	registerOperatorRoutes(a, rt)
	return errors.Join(rt.errs...)
}
