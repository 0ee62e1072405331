package ddbstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/idempotency"
)

// Idempotency records: PK IDEM#<scope>#<sha256(key)>, SK IDEM, expiresAt +24h.

var _ idempotency.Store = (*Table)(nil)

const idemSK = "IDEM"

type idemItem struct {
	PK          string `dynamodbav:"PK"`
	SK          string `dynamodbav:"SK"`
	Type        string `dynamodbav:"type"`
	Fingerprint string `dynamodbav:"fingerprint"`
	Status      int    `dynamodbav:"status"`
	Body        []byte `dynamodbav:"body"`
	CreatedAt   string `dynamodbav:"createdAt"`
	ExpiresAt   int64  `dynamodbav:"expiresAt"`
}

func idemPK(scope, keyHash string) string { return JoinKey("IDEM", scope, keyHash) }

func newIdemItem(r idempotency.Record) idemItem {
	return idemItem{
		PK: idemPK(r.Scope, r.KeyHash), SK: idemSK, Type: "idempotency",
		Fingerprint: r.Fingerprint, Status: r.Status, Body: r.Body,
		CreatedAt: Time(r.CreatedAt), ExpiresAt: Expiry(r.ExpiresAt),
	}
}

// clientToken is a ClientRequestToken (at most 36 characters) derived from s.
func clientToken(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:36]
}

// GetIdempotency implements idempotency.Store. An expired record that the TTL
// has not removed yet counts as absent.
func (t *Table) GetIdempotency(ctx context.Context, scope, keyHash string) (idempotency.Record, error) {
	var it idemItem
	if err := t.Get(ctx, "idempotency record "+scope, Key(idemPK(scope, keyHash), idemSK), true, &it); err != nil {
		return idempotency.Record{}, err
	}
	if it.ExpiresAt > 0 && t.Now().Unix() > it.ExpiresAt {
		return idempotency.Record{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("idempotency record %s: expired", scope))
	}
	return idempotency.Record{
		Scope: scope, KeyHash: keyHash, Fingerprint: it.Fingerprint, Status: it.Status, Body: it.Body,
		CreatedAt: ParseTime(it.CreatedAt), ExpiresAt: ParseExpiry(it.ExpiresAt),
	}, nil
}
