using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Dicom.Typed.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Dicom.Typed.CodeFixes
{
    /// <summary>DT0001: replaces the value with one of the enumerated values (one action per value; fix-all applies the chosen value).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EnumeratedValueCodeFix)), Shared]
    public sealed class EnumeratedValueCodeFix : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.EnumeratedValue.Id);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null) return;
            foreach (var d in context.Diagnostics)
            {
                if (!d.Properties.TryGetValue(Descriptors.ValuesKey, out var values) || values == null) continue;
                var allowed = values.Split('\\');
                var node = root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true);
                if (d.Properties.TryGetValue(Descriptors.EnumKey, out var enumType) && enumType != null && node is ExpressionSyntax cast)
                {
                    // An enum-typed member: pick the enum member.
                    foreach (var member in allowed)
                    {
                        var replacement = SyntaxFactory.ParseExpression(enumType + "." + member).WithTriviaFrom(cast).WithAdditionalAnnotations(Simplifier.Annotation);
                        context.RegisterCodeFix(CodeAction.Create("Use enum member " + member,
                            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(cast, replacement))),
                            equivalenceKey: "DT0001:" + member), d);
                    }
                    continue;
                }
                if (!(node is LiteralExpressionSyntax literal)) continue;
                if (literal.IsKind(SyntaxKind.NumericLiteralExpression))
                {
                    foreach (var v in allowed)
                    {
                        if (!long.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long n)) continue;
                        // Parsed, so the token carries the value type the compiler gives the literal.
                        var replacement = SyntaxFactory.ParseExpression(n.ToString(System.Globalization.CultureInfo.InvariantCulture)).WithTriviaFrom(literal);
                        context.RegisterCodeFix(CodeAction.Create("Use enumerated value " + v,
                            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, replacement))),
                            equivalenceKey: "DT0001:" + v), d);
                    }
                    continue;
                }
                if (!literal.IsKind(SyntaxKind.StringLiteralExpression)) continue;
                string current = literal.Token.ValueText;
                // The case-insensitive match first: it is the likely intent.
                foreach (var v in allowed.OrderBy(v => string.Equals(v, current, System.StringComparison.OrdinalIgnoreCase) ? 0 : 1))
                {
                    context.RegisterCodeFix(CodeAction.Create("Use enumerated value \"" + v + "\"",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, Literal(literal, v)))),
                        equivalenceKey: "DT0001:" + v), d);
                }
            }
        }

        internal static LiteralExpressionSyntax Literal(LiteralExpressionSyntax old, string value) =>
            SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value)).WithTriviaFrom(old);
    }

    /// <summary>DT0006: rewrites a literal to the VR's format when the analyzer found one unambiguous replacement.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(VrFormatCodeFix)), Shared]
    public sealed class VrFormatCodeFix : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.InvalidForVr.Id);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null) return;
            foreach (var d in context.Diagnostics)
            {
                if (!d.Properties.TryGetValue(Descriptors.FixKey, out var fix) || fix == null) continue;
                if (!(root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true) is LiteralExpressionSyntax literal)) continue;
                context.RegisterCodeFix(CodeAction.Create("Write \"" + fix + "\"",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, EnumeratedValueCodeFix.Literal(literal, fix)))),
                    equivalenceKey: "DT0006"), d);
            }
        }
    }

    /// <summary>DT0005: replaces a hard-coded private tag with the generated accessor, reserved in the data set.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PrivateAccessorCodeFix)), Shared]
    public sealed class PrivateAccessorCodeFix : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.PrivateTag.Id);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null) return;
            foreach (var d in context.Diagnostics)
            {
                if (!d.Properties.TryGetValue(Descriptors.AccessorKey, out var accessor) || accessor == null) continue;
                if (!d.Properties.TryGetValue(Descriptors.DatasetKey, out var dataset) || dataset == null) continue;
                var node = root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true);
                if (!(node is ExpressionSyntax creation)) continue;
                // The simplifier shortens the fully qualified accessor to what the usings allow.
                var accessorExpression = SyntaxFactory.ParseExpression(accessor).WithAdditionalAnnotations(Simplifier.Annotation);
                var replacement = SyntaxFactory.InvocationExpression(
                        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, accessorExpression, SyntaxFactory.IdentifierName("Reserve")),
                        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.ParseExpression(dataset)))))
                    .WithTriviaFrom(creation);
                context.RegisterCodeFix(CodeAction.Create("Use the generated private accessor",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(creation, replacement))),
                    equivalenceKey: "DT0005"), d);
            }
        }
    }
}
