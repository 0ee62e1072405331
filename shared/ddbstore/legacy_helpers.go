package ddbstore

// Transitional: attribute value helpers that lived in the events store
// (events.go, now package eventsdb) and that stores still in this package
// use. Removed with legacy.go.

import (
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func n(i int) types.AttributeValue      { return &types.AttributeValueMemberN{Value: strconv.Itoa(i)} }
func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
