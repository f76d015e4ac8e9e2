package catalog

// operatorTexts are the texts of the operator chat flows.
var operatorTexts = map[Key]string{}
