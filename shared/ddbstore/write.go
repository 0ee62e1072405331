package ddbstore

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Single-item writes. Each returns apperr.Conflict when its condition fails
// (the capability's store says what that means), apperr.Unavailable when the
// table is down or throttling.

// Put writes item (a stored struct, marshalled, or an attribute map) if cond
// holds; what names it in errors.
func (t *Table) Put(ctx context.Context, what string, item any, cond Cond) error {
	av, ok := item.(map[string]types.AttributeValue)
	if !ok {
		var err error
		if av, err = attributevalue.MarshalMap(item); err != nil {
			return fmt.Errorf("marshal %s: %w", what, err)
		}
	}
	expr, names, values := cond.parts()
	_, err := t.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(t.Name), Item: av,
		ConditionExpression: expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	})
	return Classify("put "+what, err)
}

// Update applies update to the item key if cond.Expr holds (update may use
// cond's placeholders).
func (t *Table) Update(ctx context.Context, what string, key map[string]types.AttributeValue, update string, cond Cond) error {
	expr, names, values := cond.parts()
	_, err := t.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(t.Name), Key: key, UpdateExpression: aws.String(update),
		ConditionExpression: expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	})
	return Classify("update "+what, err)
}

// Delete removes the item key if cond holds.
func (t *Table) Delete(ctx context.Context, what string, key map[string]types.AttributeValue, cond Cond) error {
	expr, names, values := cond.parts()
	_, err := t.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(t.Name), Key: key,
		ConditionExpression: expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	})
	return Classify("delete "+what, err)
}

// And returns c with expr (and its values) added as a further condition.
func (c Cond) And(expr string, values map[string]types.AttributeValue) Cond {
	out := Cond{Expr: expr, Names: map[string]string{}, Values: map[string]types.AttributeValue{}}
	if c.Expr != "" {
		out.Expr = "(" + c.Expr + ") AND " + expr
	}
	for k, v := range c.Names {
		out.Names[k] = v
	}
	for k, v := range c.Values {
		out.Values[k] = v
	}
	for k, v := range values {
		out.Values[k] = v
	}
	return out
}

// With returns c with more placeholder values (used by an update
// expression).
func (c Cond) With(values map[string]types.AttributeValue) Cond {
	out := c.And("", values)
	out.Expr = c.Expr
	return out
}
