using Dicom.Typed.Modules;

namespace Dicom.Typed.Devices.Tests;

/// <summary>Code written once against a module interface works for the IODs of every device.</summary>
public sealed class ModuleInterfaceTests
{
    private static string Describe(IPatientModule patient) => $"{patient.PatientName}|{patient.PatientID}|{patient.PatientBirthDate}";

    [Fact]
    public void Patient_module_code_runs_on_three_devices()
    {
        var name = new DicomPersonName("Doe", "Jane");
        IPatientModule smartCt = (IPatientModule)SampleFactory.Create(typeof(Dicom.Typed.Devices.PhilipsSmartctR13.SmartCtXaImage));
        IPatientModule avw = (IPatientModule)SampleFactory.Create(typeof(Dicom.Typed.Devices.PhilipsAvwCt1513.AvwCtImage));
        IPatientModule trinias = (IPatientModule)SampleFactory.Create(typeof(Dicom.Typed.Devices.ShimadzuTrinias.TriniasXaImage));
        foreach (var p in new[] { smartCt, avw, trinias })
        {
            Assert.Equal(name, p.PatientName);
            Assert.Equal($"{name}|Sample LO|20240131", Describe(p));
        }
    }

    [Fact]
    public void Module_interfaces_are_implemented_by_all_devices_that_have_the_module()
    {
        var types = typeof(IPatientModule).Assembly.GetTypes().Where(t => typeof(IPatientModule).IsAssignableFrom(t) && t.IsClass).Select(t => t.Namespace).Distinct().ToList();
        Assert.Contains("Dicom.Typed.Devices.PhilipsSmartctR13", types);
        Assert.Contains("Dicom.Typed.Devices.PhilipsAvwCt1513", types);
        Assert.Contains("Dicom.Typed.Devices.ShimadzuTrinias", types);
        Assert.True(typeof(IGeneralSeriesModule).GetProperties().Length >= 2);
    }
}
