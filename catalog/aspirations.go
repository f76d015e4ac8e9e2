package catalog

// aspirationTexts are the texts of the aspirations chat flows.
var aspirationTexts = map[Key]string{}
