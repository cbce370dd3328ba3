using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Dicom.Typed.Analyzers
{
    /// <summary>A generated <c>PrivateDictionary.&lt;Creator&gt;.&lt;Element&gt;</c> accessor marked [DicomPrivateAttribute].</summary>
    internal sealed class PrivateAccessor
    {
        private PrivateAccessor(ushort group, byte elementByte, string creator, string expression, string ns)
        {
            Group = group;
            ElementByte = elementByte;
            Creator = creator;
            Expression = expression;
            Namespace = ns;
        }

        public ushort Group { get; }
        public byte ElementByte { get; }
        public string Creator { get; }
        public string Expression { get; }
        public string Namespace { get; }

        public static List<PrivateAccessor> Collect(Compilation compilation, DicomSymbols s)
        {
            var list = new List<PrivateAccessor>();
            if (s.Private == null) return list;
            var stack = new Stack<INamespaceSymbol>();
            stack.Push(compilation.GlobalNamespace);
            while (stack.Count > 0)
            {
                var ns = stack.Pop();
                foreach (var child in ns.GetNamespaceMembers())
                {
                    if (child.Name == "System" || child.Name == "Microsoft" || child.Name == "Internal" || child.Name == "Windows") continue;
                    stack.Push(child);
                }
                foreach (var type in ns.GetTypeMembers("PrivateDictionary"))
                {
                    foreach (var creator in type.GetTypeMembers())
                    {
                        foreach (var m in creator.GetMembers())
                        {
                            if (!(m is IPropertySymbol p) || !p.IsStatic) continue;
                            var a = DicomSymbols.Find(p, s.Private);
                            if (a == null || a.ConstructorArguments.Length != 3) continue;
                            if (!(a.ConstructorArguments[0].Value is ushort g) || !(a.ConstructorArguments[2].Value is byte b)) continue;
                            list.Add(new PrivateAccessor(g, b, a.ConstructorArguments[1].Value as string ?? "",
                                "global::" + creator.ToDisplayString() + "." + p.Name, ns.ToDisplayString()));
                        }
                    }
                }
            }
            return list;
        }
    }
}
