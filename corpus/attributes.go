package corpus

// AttributeTable is a file of case attributes: one row per case (the first
// column names the case or its source), one typed column per attribute.
type AttributeTable struct {
	Path    string
	Columns []AttributeColumn
	Rows    []AttributeRow
}

// AttributeColumn is one attribute of an AttributeTable.
type AttributeColumn struct {
	Name string
	Type AttrType
}

// AttributeRow is one case's values, in the table's column order, already
// normalised to their type; "" means no value.
type AttributeRow struct {
	Case   string
	Line   int // 1-based line (CSV) or row (XLSX) in the file
	Values []string
}
