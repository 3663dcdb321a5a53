// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package sas

// Emoji is one entry of the Matrix SAS emoji table.
type Emoji struct {
	// Symbol is the emoji itself (for some entries followed by U+FE0F,
	// the emoji presentation selector).
	Symbol string
	// Description is the spec's English name, which clients show under
	// the symbol.
	Description string
}

// LookupEmoji returns the entry of the spec's SAS emoji table with the given
// index, as returned by [EmojiIndices], and false if index is not in
// [0, 63]. Translations of the descriptions are in the spec's
// data-definitions/sas-emoji.json.
func LookupEmoji(index int) (Emoji, bool) {
	if index < 0 || index >= len(emojiTable) {
		return Emoji{}, false
	}
	return emojiTable[index], true
}

// emojiTable is the table of the spec section "SAS method: emoji", from
// matrix-org/matrix-spec data-definitions/sas-emoji.json (symbol as its
// "unicode" code points, description as its "description").
var emojiTable = [64]Emoji{
	{"\U0001F436", "Dog"},         //  0 U+1F436
	{"\U0001F431", "Cat"},         //  1 U+1F431
	{"\U0001F981", "Lion"},        //  2 U+1F981
	{"\U0001F40E", "Horse"},       //  3 U+1F40E
	{"\U0001F984", "Unicorn"},     //  4 U+1F984
	{"\U0001F437", "Pig"},         //  5 U+1F437
	{"\U0001F418", "Elephant"},    //  6 U+1F418
	{"\U0001F430", "Rabbit"},      //  7 U+1F430
	{"\U0001F43C", "Panda"},       //  8 U+1F43C
	{"\U0001F413", "Rooster"},     //  9 U+1F413
	{"\U0001F427", "Penguin"},     // 10 U+1F427
	{"\U0001F422", "Turtle"},      // 11 U+1F422
	{"\U0001F41F", "Fish"},        // 12 U+1F41F
	{"\U0001F419", "Octopus"},     // 13 U+1F419
	{"\U0001F98B", "Butterfly"},   // 14 U+1F98B
	{"\U0001F337", "Flower"},      // 15 U+1F337
	{"\U0001F333", "Tree"},        // 16 U+1F333
	{"\U0001F335", "Cactus"},      // 17 U+1F335
	{"\U0001F344", "Mushroom"},    // 18 U+1F344
	{"\U0001F30F", "Globe"},       // 19 U+1F30F
	{"\U0001F319", "Moon"},        // 20 U+1F319
	{"\u2601\uFE0F", "Cloud"},     // 21 U+2601U+FE0F
	{"\U0001F525", "Fire"},        // 22 U+1F525
	{"\U0001F34C", "Banana"},      // 23 U+1F34C
	{"\U0001F34E", "Apple"},       // 24 U+1F34E
	{"\U0001F353", "Strawberry"},  // 25 U+1F353
	{"\U0001F33D", "Corn"},        // 26 U+1F33D
	{"\U0001F355", "Pizza"},       // 27 U+1F355
	{"\U0001F382", "Cake"},        // 28 U+1F382
	{"\u2764\uFE0F", "Heart"},     // 29 U+2764U+FE0F
	{"\U0001F600", "Smiley"},      // 30 U+1F600
	{"\U0001F916", "Robot"},       // 31 U+1F916
	{"\U0001F3A9", "Hat"},         // 32 U+1F3A9
	{"\U0001F453", "Glasses"},     // 33 U+1F453
	{"\U0001F527", "Spanner"},     // 34 U+1F527
	{"\U0001F385", "Santa"},       // 35 U+1F385
	{"\U0001F44D", "Thumbs Up"},   // 36 U+1F44D
	{"\u2602\uFE0F", "Umbrella"},  // 37 U+2602U+FE0F
	{"\u231B", "Hourglass"},       // 38 U+231B
	{"\u23F0", "Clock"},           // 39 U+23F0
	{"\U0001F381", "Gift"},        // 40 U+1F381
	{"\U0001F4A1", "Light Bulb"},  // 41 U+1F4A1
	{"\U0001F4D5", "Book"},        // 42 U+1F4D5
	{"\u270F\uFE0F", "Pencil"},    // 43 U+270FU+FE0F
	{"\U0001F4CE", "Paperclip"},   // 44 U+1F4CE
	{"\u2702\uFE0F", "Scissors"},  // 45 U+2702U+FE0F
	{"\U0001F512", "Lock"},        // 46 U+1F512
	{"\U0001F511", "Key"},         // 47 U+1F511
	{"\U0001F528", "Hammer"},      // 48 U+1F528
	{"\u260E\uFE0F", "Telephone"}, // 49 U+260EU+FE0F
	{"\U0001F3C1", "Flag"},        // 50 U+1F3C1
	{"\U0001F682", "Train"},       // 51 U+1F682
	{"\U0001F6B2", "Bicycle"},     // 52 U+1F6B2
	{"\u2708\uFE0F", "Aeroplane"}, // 53 U+2708U+FE0F
	{"\U0001F680", "Rocket"},      // 54 U+1F680
	{"\U0001F3C6", "Trophy"},      // 55 U+1F3C6
	{"\u26BD", "Ball"},            // 56 U+26BD
	{"\U0001F3B8", "Guitar"},      // 57 U+1F3B8
	{"\U0001F3BA", "Trumpet"},     // 58 U+1F3BA
	{"\U0001F514", "Bell"},        // 59 U+1F514
	{"\u2693", "Anchor"},          // 60 U+2693
	{"\U0001F3A7", "Headphones"},  // 61 U+1F3A7
	{"\U0001F4C1", "Folder"},      // 62 U+1F4C1
	{"\U0001F4CC", "Pin"},         // 63 U+1F4CC
}
