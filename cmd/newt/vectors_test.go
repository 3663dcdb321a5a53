// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

// Known answers from libolm, copied from the libolm spec
// (/work/shared/spec/libolm.md §11; "T:" marks libolm's own tests, "G:"
// values generated with libolm 3.2.13). The facts the tests check about them
// come from the same tables, never from newt's output.
const (
	// §11.4, T:tests/test_group_session.cpp: session key (index 0,
	// session id vecMegolmSessionID) and a message of that session at
	// index 0 ("Message", so a 16-byte ciphertext).
	vecMegolmKey       = "AgAAAAAwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMzQ1Njc4OUFCREVGMDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkRFRjAxMjM0NTY3ODlBQkNERUYwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMw0bdg1BDq4Px/slBow06q8n/B9WBfwWYyNOB8DlUmXGGwrFmaSb9bR/eY8xgERrxmP07hFmD9uqA2p8PMHdnV5ysmgufE6oLZ5+8/mWQOW3VVTnDIlnwd8oHUYRuk8TCQ"
	vecMegolmMessage   = "AwgAEhAcbh6UpbByoyZxufQ+h2B+8XHMjhR69G8F4+qjMaFlnIXusJZX3r8LnRORG9T3DXFdbVuvIWrLyRfm4i8QRbe8VPwGRFG57B1CtmxanuP8bHtnnYqlwPsD"
	vecMegolmSessionID = "DRt2DUEOrg/H+yUGjDTqryf8H1YF/BZjI04HwOVSZcY"

	// §11.4, T:test_group_session.cpp "Invalid signature group message":
	// a key and a message it signed; the message with its last character
	// changed to 'E' has a bad signature.
	vecBadSigKey     = "AgAAAAAwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMzQ1Njc4OUFCREVGMDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkRFRjAxMjM0NTY3ODlBQkNERUYwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMztqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop4lx1cSN3Xv1TgfLPW8rhGiW+hHiMxd36nRuxscNv9k4oJA/KP+o0mi1wv44StrEJ1wwx9WZHBUIWkQbaBSuBDw"
	vecBadSigMessage = "AwgAEhAcbh6UpbByoyZxufQ+h2B+8XHMjhR69G8nP4pNZGl/3QMgrzCZPmP+F2aPLyKPzxRPBMUkeXRJ6Iqm5NeOdx2eERgTW7P20CM+lL3Xpk+ZUOOPvsSQNaAL"

	// §11.4, T:android OlmGroupSessionTest.java test18: a session key at
	// index 12 and a message of the same session at index 13.
	vecAndroidKey       = "AgAAAAycZE6AekIctJWYxd2AWLOY15YmxZODm/WkgbpWkyycp6ytSp/R+wo84jRrzBNWmv6ySLTZ9R0EDOk9VI2eZyQ6Efdwyo1mAvrWvTkZl9yALPdkOIVHywyG65f1SNiLrnsln3hgsT1vUrISGyKtsljoUgQpr3JDPEhD0ilAi63QBjhnGCW252b+7nF+43rb6O6lwm93LaVwe2341Gdp6EkhTUvetALezEqDOtKN00wVqAbq0RQAnUJIowxHbMswg+FyoR1K1oCjnVEoF23O9xlAn5g1XtuBZP3moJlR2lwsBA"
	vecAndroidMessage   = "AwgNEpABpjs+tYF+0y8bWtzAgYAC3N55p5cPJEEiGPU1kxIHSY7f2aG5Fj4wmcsXUkhDv0UePj922kgf+Q4dFsPHKq2aVA93n8DJAQ/FRfcM98B9E6sKCZ/PsCF78uBvF12Aaq9D3pUHBopdd7llUfVq29d5y6ZwX5VDoqV2utsATkKjXYV9CbfZuvvBMQ30ZLjEtyUUBJDY9K4FxEFcULytA/IkVnATTG9ERuLF/yB6ukSFR+iUWRYAmtuOuU0k9BvaqezbGqNoK5Grlkes+dYX6/0yUObumcw9/iAI"
	vecAndroidSessionID = "OGcYJbbnZv7ucX7jetvo7qXCb3ctpXB7bfjUZ2noSSE"

	// §11.4, G: deterministic outbound session: its export at index 1.
	vecExport1         = "AQAAAAEAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9VB0TjNBFfof1z07cRdtQVcohjHLNwRaSf1izQYIyPXc0Us3+VbpUxlP9/tzs9gdzFYdYadTgJS3w+GmQ+5fOq"
	vecExportSessionID = "zRSzf5VulTGU/3+3Oz2B3MVh1hp1OAlLfD4aZD7l86o"

	// §11.5, G: Alice's pre-key message m1 ("Hello, Bob", 168 bytes, raw
	// hex ending in ...10002210fa041ae2264ae7c0858b743a4bde6458410d35f69757de1d:
	// counter 0, a 16-byte ciphertext, MAC 410d35f69757de1d) and Bob's reply
	// m2 (type 1). Both sides have session id vecOlmSessionID; Bob's one-time
	// key and Alice's identity key are from the same table.
	vecM1              = "AwogST6C/HRGSlkmiBdiPSBTxeuOLMSpiLT+4XnsawENUx0SIGBacl0qSt/usaKeF+3WIcG3WT7ozbxErGxKtuL4BdI8GiA1gHLWNliA0a7qMprfkSE4OFHtIaKOO3XpZdDSzRZiVCI/Awog3CzKMejkO72R3/fkdcyjNH60eBB9W9dlq6SuSjDDXUQQACIQ+gQa4iZK58CFi3Q6S95kWEENNfaXV94d"
	vecM2              = "Awogc2hF1U6H3gnWuxFKpwQsUKSgFb2ZAdGgAm9ZVlM6FRkQACIQjVocXnT//r56v0Sy+aG4xG8Y0cFP56MV"
	vecOlmSessionID    = "5YJ2sIpPkHgSxneh4xbU5XxwG7ZNd6y4ZQasWHyiAoc"
	vecBobOneTimeKey   = "ST6C/HRGSlkmiBdiPSBTxeuOLMSpiLT+4XnsawENUx0"
	vecAliceCurve25519 = "NYBy1jZYgNGu6jKa35EhODhR7SGijjt16WXQ0s0WYlQ"
	vecAliceEd25519    = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"
	vecM1MAC           = "410d35f69757de1d"
)

// libolm pickles (§11.4–§11.7) with their pickle keys.
const (
	// §11.6, G: an account (Alice's keys) with 2 unpublished one-time keys
	// and an unpublished fallback key AAAAAw = vecBobOneTimeKey's bytes;
	// then the same after mark_keys_as_published. Key "secret_key".
	vecAccountPickle          = "tHRzF4tE1ou4UaK3jCAp1ZKpWXfFSfDcIZONqfaJiZigMWsLQ+LkyWoVv3/k7G0pZPapFIRpVTbn4qF6sYkVGdKBftunCre6SFFWJ63JPRxAUSV/n+pR5BX3Ate23Xw/LbGu+hfqGyIsYsHsMY1OhCbqHhhKDKM8udMMRJx6z9F233rgc9gOHp7N3SsqwwnkBi8QlShf/qD1fRIvE+A1NrV/1blWJg4akZoKo8kl06SSgj5Q2mlR86oqMs2G39eZDkz9wy/ZjOmeC6FcN/miMDTVOGF+C4V0FXrN/CO6XrcDrSAEydggBMu0JsAE4fyDzCOtLfk4Shdz1f4lDmLCak+eQK3DmzGgKwhWgKlJKrxCZdKw5yaBPVo6YKloU3eqlWZWAkqqLiwsP87+zgyE+qXfewnLGRU5EHuGuG2bJEZ9WcidZbGJ5P+lf0Z6vnrNv7wHyqS/SFn92u0n0nPyrs/nd7voo1dn/+6OJy5ktmjEz/11ytQHPXg0jrgK0sRtYmXkK1JlvBo"
	vecAccountPublishedPickle = "tHRzF4tE1ou4UaK3jCAp1ZKpWXfFSfDcIZONqfaJiZigMWsLQ+LkyWoVv3/k7G0pZPapFIRpVTbn4qF6sYkVGdKBftunCre6SFFWJ63JPRxAUSV/n+pR5BX3Ate23Xw/LbGu+hfqGyIsYsHsMY1OhCbqHhhKDKM8udMMRJx6z9F233rgc9gOHp7N3SsqwwnkBi8QlShf/qD1fRIvE+A1NsmnTBZehaLgpXJOg5+8KWwrPGEHmqZ2slnsDpmLSBVcAzR2K2kWPcJDuOE0ovstN9EMy0Y2BIq5HQbsyBo4RZx/8w4cEIoKsDeyzPUD2Djdu32AnoRNS9ax8KL9S/yftf8H7AdTd04dUVHvtcdpMkL4JHrX1MWSr9HSqwnvtk7HqyKgcA65Lo3UnJloePdVYnmHUXntRfypGoMO4jMBjmCNuckOUvDBJnMqKpxs2TyDj93125lD+8kBH9vZOP54ttNzhhPUi3juoces4agbwIhtP9z1PkXpLpiM88aHi39dwcH4R5uLw/4"
	// §11.7, T:test_olm.cpp "Old account (v3)", key "": no one-time keys,
	// a published fallback key AAAAAQ.
	vecAccountV3Pickle   = "0mSqVn3duHffbhaTbFgW+4JPlcRoqT7z0x4mQ72N+g+eSAk5sgcWSoDzKpMazgcB46ItEpChthVHTGRA6PD3dly0dUs4ji7VtWTa+1tUv1UbxP92uYf1Ae3fomX0yAoHOjSrz1+RmuXr+At8jsmsf260sKvhB6LnI3qYsrw6AAtpgk5d5xZd66sLxvvYUuai+SmmcmT0bHosLTuDiiB9amBvPKkUKtKZmaEAl5ULrgnJygp1/FnwzVfSrw6PBSX6ZaUEZHZGX1iI6/WjbHqlTQeOQjtaSsPaL5XXpteS9dFsuaANAj+8ks7Ut2Hwg/JPIh/ERYBwiMh9Mt3zSAG0NkvgUkcdipKxoSNZ6t+TkqZrN6jG6VCbx+4YpJO24iJbShZy8n79aePIgIsxX94ycsTq1ic38sCRSkWGVbCSRkPloHW7ZssLHA"
	vecAccountV3Fallback = "dr98y6VOWt6lJaQgFVZeWY2ky76mga9MEMbdItJTdng"
	// §11.7, T:test_olm.cpp "Old account unpickle" (version 1), key "":
	// BAD_LEGACY_ACCOUNT_PICKLE.
	vecAccountV1Pickle = "x3h9er86ygvq56pM1yesdAxZou4ResPQC9Rszk/fhEL9JY/umtZ2N/foL/SUgVXSv0IxHHZTafYjDdzJU9xr8dQeBoOTGfV9E/lCqDGBnIlu7SZndqjEKXtzGyQr4sP4K/A/8TOu9iK2hDFszy6xETiousHnHgh2ZGbRUh4pQx+YMm8ZdNZeRnwFGLnrWyf9O5TmXua1FcU"
	// §11.7, T:test_session.cpp "V1 session pickle" and "V2 session
	// pickle" (version 0x80000001), key "secret_key": received = false,
	// session id vecV1SessionID.
	vecSessionV1Pickle = "wkEpwMgiAqD7B1/Lw2cKYYDcUZVOd9QHes7ZroWxr/Rp/nWEAySgRsIu/a54YhO67rwitrLpos7tFxxK9IZ7pKB1qrR1coVWIt78V9lp9WgmBAvxHBSY+tu1lkL/JjLi963/yFdPancZ+WHMVfaKlV3gWGpo7EfNK6qAOxI1Ea/eCsE2sYrsHEDvLLGlKAA9E56rmmoe2w6TKzsQjsZM2/XT2eJ82EgMO9pL02iLElXWmGNv72Ut7DouR0pQIT50HIEEKcFxYcoTb3WCfJD76CoesE4kx+TA6d45Xu1bwQNNkTGF+nCCu/GmKY+sECXbz9U6WhxG0YdF9Z4T8YkWYAgpKNS0FWRV"
	vecSessionV2Pickle = "m+DS/q34MXpw2xp50ZD0B7val1mlMpQXo0mx+VPje0weFYRRuuZQBdJgcFPEpi2MVSpA4cqgqHyj2/bU7/lz+BXkEBrCFVx0BJidxXfOLDW4TNtRhLS1YHJNGP8GvTg1+dCytBTLsCdm5f945Eq1U/pY3Cg96YTUufFP6EYrfRoDbAsRHc+h+wKKftQv+W44yUmRhcCemGHtpxk3UQAMCI7EBv9BvveyZMy3p9qZ3xvFK34Hef+R7gjtFycz7Nk/4UF46sT3cTmUlXz9iFW4uz2FrTI1Wjym+l0DadsbSpHSUjmp9zt4qRP2UjwfZ5QNLv+cdObIfqFsiThGu/PlKigdF4SLHrnG"
	vecV1SessionID     = "EHHoF8Sal4esfrEiHZRjHX0uMTN04XTiolGxD0NLRFE"
	// §11.5, G: Alice's session after m1 and m1b (has not received) and
	// Bob's after m2 (has received), key "secret_key".
	vecAliceSessionPickle = "va/9L8f5+7sjK3fS50j+h93jFdCjX5eOowR5U90q7EME4MdjCqqrwGZgrqVJz5PvJiNz5W2/VE8b9wY26XiwgM6PzcDwSNEgFLsfjH36xIUQJKOgtucSiKjP06lB12hKQ3Dp96F+PZZWcAhhEUxL5ZIgSqYMV3GJQfSemwXxV6OoQ0WVWlcf0Eta+um2VC+A+ypI54nd/jkjKkiF7AQpdlPw1+RAKBOZYxRC/9veqI0OL71zB0PM0ljxnp0Xux7rSfOeG5g7KNXP7XbPFl/B8HVzCn/7f6j2Wku8p95Sa7bv+l8md4CeayNIKXERCI+ZsF82LA0jF9fLLwhZXZTNJ0HwV9Pt2DFl"
	vecBobSessionPickle   = "dTV/hUfgsyqRPTwdGDRlLdCKXPZdiNgxvBpIpVIeYu4BY+O92kkYXv3Ad+6Zdwe4skY2AJy4AQ1B+HnhnLo7y6kljdqTj5DDqDf53F8ucReR4btTy8XZ92gMN0WYIAOpb8nDItfeIWHGeMPIl/Wyxxvco/UshmFe/hxfnkE7eQ0e1e+vAosAn0ViyD+NG9Msu08qwyuhYDTgj13KtQxBISBycN6VU6MCxopGowRsvx/iXEXAK1I+D6TxnkmUqrkrN2vdjV4x1E2ubaaff+N+9ZQ+aQv2/nJfXUyizJMXSjehBOagmiXL4nOvd5HlaPrQD5jg8e+2vWXDPM2OGstk1IMzW7u3wsnjVoDlJVzEF0b+yco3Qtxjf3ShSA+RoGU+DLfZoEg8Z4F1GwopQ/N4/rQrIdHUtmT5pT0QcdIHrGve7dikBJVGsA"
	// §11.4, G: the deterministic outbound session's pickle at index 0 and
	// a fresh inbound session from its key @0, key "secret_key".
	vecGroupPickle   = "007nVSkMu0fpZgMqZL3vCQXXpcqzmQc8r3nttq1umovW2frv5DZCh9VB6RmDY3ZQpAS0K+Mtx41xztl6zABgdIHQB4029GhjrtOAj1Dc8mj2I8yikFwikjSIWOFWJARrvn2KBbHKP3mXiY9APVTAHzDxUMDi76/3meUHn5bynN4UvJqQEnCsd6rmljXo2NAdZoq4uMcZeSmay0gsutKMXowPYAbtkY8KqnaTKN6LVgxB3aUHEEJAzT1QuCoJRCgpj/1tjLLwnP1jW17NTmW87z4qzNLno9gHaupcY/gkYaa5dNS1VccZ5VIX8lhgnrH+K9oyrRykDV4"
	vecInboundPickle = "rvpgwBVMRSeAo0aJcMDCFOk9qjTvCq60FfcXelRjr/NQYsBX2DpfieoBOMttwmhwpgFum+wH/bCB4wsBBNVXZa96vlntQVyWOeKafqoZbQqSoRnhKQS+hldiOXNH0k83InoHSlWPlNF83yqi0FHosASG2yyp7EX3Iag0dHDHSf1xvBEA5fktYfNVGPr4RhriR5Qyf81XnF/A0hoR4JjxiWdOiboFxxOdb5iT1kVepmHffI3YE+oQgKVYliVe3JBKBd2APL0JEp0u37YT9s92MwnF6I0P7KmgvWvOq8/WSvaD4IQi6DwlxJ/79V5N6ohVc6AutHG2PhYcXEMAuLiCYYb+QWipOhLdqMbJj9M0Gl8DFqOtVLIctuzwhVfew0GA0ixxKfF/3akdboeT0WYm8Rtob6WKfLlP"
	// §11.7, T:test_pk.cpp: PkDecryption of alice_priv, key "secret_key";
	// its public key from §11.8.
	vecPkPickle    = "qx37WTQrjZLz5tId/uBX9B3/okqAbV1ofl9UnHKno1eipByCpXleAAlAZoJgYnCDOQZDQWzo3luTSfkF9pU1mOILCbbouubs6TVeDyPfgGD9i86J8irHjA"
	vecPkPublicKey = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo"
)
