namespace ActorBackup.ReQL.Ast;

// Selecting, transforming and aggregating sequences, arrays and objects.
public abstract partial class ReqlExpr
{
    public Term Get(object? key) => Make(TermType.Get, key);

    /// <summary>GET_ALL by primary key, or by a secondary index with <c>[new { index = "…" }]</c>.</summary>
    public Term GetAll(params object?[] keys) => Make(TermType.GetAll, keys);

    /// <summary>BETWEEN; use <see cref="R.Minval"/>/<see cref="R.Maxval"/> for open ends, optargs index, left_bound, right_bound.</summary>
    public Term Between(object? lower, object? upper) => Make(TermType.Between, lower, upper);

    public Term Filter(object? predicate) => Make(TermType.Filter, predicate);

    public Term Filter(Func<ReqlExpr, ReqlExpr> predicate) => Make(TermType.Filter, predicate);

    public Term Map(object? mapping) => Make(TermType.Map, mapping);

    public Term Map(Func<ReqlExpr, ReqlExpr> mapping) => Make(TermType.Map, mapping);

    public Term ConcatMap(Func<ReqlExpr, ReqlExpr> mapping) => Make(TermType.ConcatMap, mapping);

    public Term WithFields(params object?[] fields) => Make(TermType.WithFields, fields);

    public Term Reduce(Func<ReqlExpr, ReqlExpr, ReqlExpr> reduction) => Make(TermType.Reduce, reduction);

    /// <summary>FOLD: the sequence's elements combined in order from <paramref name="base"/>, <c>(accumulator, element) => …</c>.</summary>
    public Term Fold(object? @base, Func<ReqlExpr, ReqlExpr, ReqlExpr> combine) => Make(TermType.Fold, @base, combine);

    /// <summary>ORDER_BY fields, <see cref="R.Asc(object)"/>/<see cref="R.Desc(object)"/> terms or functions; none with <c>[new { index = … }]</c>.</summary>
    public Term OrderBy(params object?[] keys) => Make(TermType.OrderBy, keys);

    public Term OrderBy(Func<ReqlExpr, ReqlExpr> key) => Make(TermType.OrderBy, key);

    public Term Limit(object? count) => Make(TermType.Limit, count);

    public Term Skip(object? count) => Make(TermType.Skip, count);

    public Term Slice(object? start) => Make(TermType.Slice, start);

    public Term Slice(object? start, object? end) => Make(TermType.Slice, start, end);

    public Term Nth(object? index) => Make(TermType.Nth, index);

    public Term Count() => Make(TermType.Count);

    public Term Count(object? valueOrPredicate) => Make(TermType.Count, valueOrPredicate);

    public Term Count(Func<ReqlExpr, ReqlExpr> predicate) => Make(TermType.Count, predicate);

    public Term IsEmpty() => Make(TermType.IsEmpty);

    public Term Contains(params object?[] values) => Make(TermType.Contains, values);

    public Term Contains(Func<ReqlExpr, ReqlExpr> predicate) => Make(TermType.Contains, predicate);

    public Term HasFields(params object?[] fields) => Make(TermType.HasFields, fields);

    public Term Pluck(params object?[] fields) => Make(TermType.Pluck, fields);

    public Term Without(params object?[] fields) => Make(TermType.Without, fields);

    public Term Merge(params object?[] objects) => Make(TermType.Merge, objects);

    public Term Merge(Func<ReqlExpr, ReqlExpr> function) => Make(TermType.Merge, function);

    /// <summary>MAX of the sequence; with <c>[new { index = "…" }]</c> it uses an index (and can feed <see cref="Changes"/>).</summary>
    public Term Max() => Make(TermType.Max);

    public Term Max(object? field) => Make(TermType.Max, field);

    public Term Max(Func<ReqlExpr, ReqlExpr> function) => Make(TermType.Max, function);

    public Term Min() => Make(TermType.Min);

    public Term Min(object? field) => Make(TermType.Min, field);

    public Term Min(Func<ReqlExpr, ReqlExpr> function) => Make(TermType.Min, function);

    public Term Sum() => Make(TermType.Sum);

    public Term Sum(object? field) => Make(TermType.Sum, field);

    public Term Sum(Func<ReqlExpr, ReqlExpr> function) => Make(TermType.Sum, function);

    public Term Distinct() => Make(TermType.Distinct);

    public Term Union(params object?[] sequences) => Make(TermType.Union, sequences);
}
