package catalog

// residentTexts are the texts of the resident chat flows.
var residentTexts = map[Key]string{}
