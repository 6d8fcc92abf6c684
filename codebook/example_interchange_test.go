package codebook_test

import (
	"fmt"
	"os"

	"qcode/codebook"
)

// A LIWC-style dictionary becomes a codebook: each category a code, its
// words the rule.
func ExampleLoadAny() {
	dic := "%\n1\tposemo\n2\tnegemo\n%\nhumbl*\t1\ngrate*\t1\nworr*\t2\nlack of\t2\n"
	cb, err := codebook.LoadAny("mini.dic", []byte(dic))
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := codebook.Save(cb)
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(out)
	// Output:
	// name: mini
	// description: 'Imported from the dictionary mini.dic: 2 categories, 4 entries.'
	// match: exact
	// codes:
	//   - id: posemo
	//     name: posemo
	//     description: Category 1 of the dictionary mini.dic (2 entries).
	//     rule: 'humbl* OR grate*'
	//   - id: negemo
	//     name: negemo
	//     description: Category 2 of the dictionary mini.dic (2 entries).
	//     rule: 'worr* OR "lack of"'
}

// What REFI-QDA has no place for travels in each code's description.
func ExampleWriteQDC() {
	cb, err := codebook.Load("codebook.yaml", []byte(`codes:
  - id: risk_aversion
    name: Risk aversion
    color: "#E15759"
    description: Caution that stops a change.
    rule: 'governance OR litigat*'
    examples:
      - "Governance would never sign it off."
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := codebook.WriteQDC(os.Stdout, cb); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <?xml version="1.0" encoding="utf-8"?>
	// <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="qcode">
	//   <Codes>
	//     <Code guid="7f587118-abbf-58f2-a836-aced78ea3a61" name="Risk aversion" isCodable="true" color="#E15759">
	//       <Description>Caution that stops a change.
	//
	// --- qcode ---
	// id: risk_aversion
	// rule: governance OR litigat*
	// example: Governance would never sign it off.</Description>
	//     </Code>
	//   </Codes>
	// </CodeBook>
}
